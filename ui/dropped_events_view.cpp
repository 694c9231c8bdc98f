#include "ui/dropped_events_view.h"

#include "model/escaped_text.h"
#include "storage/activity_reader.h"
#include "storage/project_store.h"
#include "storage/storage_error_text.h"
#include "storage/storage_gateway.h"
#include "ui/sparkline.h"
#include "ui/triage/dropped_events_model.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QStyledItemDelegate>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace faultline {

namespace {

// The last 24 hours as bars, scaled to the row's busiest hour.
class HourlyBarsDelegate : public QStyledItemDelegate {
public:
    using QStyledItemDelegate::QStyledItemDelegate;
    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override
    {
        QStyledItemDelegate::paint(painter, option, index);
        const QList<qint64> hours = index.data(DroppedEventsModel::HourlyRole).value<QList<qint64>>();
        const bool selected = option.state & QStyle::State_Selected;
        const QColor bar = selected ? option.palette.highlightedText().color() : QColor(0xd9, 0x53, 0x4f);
        QColor baseline = option.palette.text().color();
        baseline.setAlpha(50);
        painter->save();
        paintBars(painter, QRectF(option.rect.adjusted(6, 5, -6, -5)), hours, bar, baseline);
        painter->restore();
    }
};

constexpr int kRefreshMs = 5000; // the collector writes refusals every 2 s

} // namespace

DroppedEventsView::DroppedEventsView(StorageGateway &storage, QWidget *parent)
    : QWidget(parent, Qt::Window)
    , m_storage(storage)
    , m_model(new DroppedEventsModel(this))
    , m_table(new QTableView(this))
    , m_summary(new QLabel(this))
    , m_help(new QLabel(this))
    , m_example(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("droppedEventsView"));
    setWindowTitle(tr("Dropped Events — Faultline"));
    m_summary->setObjectName(QStringLiteral("droppedSummary"));
    m_summary->setWordWrap(true);
    m_table->setObjectName(QStringLiteral("droppedTable"));
    m_table->setModel(m_model);
    m_table->setItemDelegateForColumn(DroppedEventsModel::TrendColumn, new HourlyBarsDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setShowGrid(false);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->hide();
    QHeaderView *header = m_table->horizontalHeader();
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(DroppedEventsModel::ReasonColumn, QHeaderView::Stretch);
    m_table->setColumnWidth(DroppedEventsModel::ProjectColumn, 140);
    for (int column : { int(DroppedEventsModel::HourColumn), int(DroppedEventsModel::DayColumn),
             int(DroppedEventsModel::WeekColumn), int(DroppedEventsModel::KeptColumn) })
        m_table->setColumnWidth(column, 64);
    m_table->setColumnWidth(DroppedEventsModel::TrendColumn, 170);

    m_help->setObjectName(QStringLiteral("droppedHelp"));
    m_help->setWordWrap(true);
    m_example->setObjectName(QStringLiteral("droppedExample"));
    m_example->setReadOnly(true);
    m_example->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_example->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_example->setPlaceholderText(tr("Select a row to see the last request of that kind."));

    auto *details = new QWidget(this);
    auto *detailsLayout = new QVBoxLayout(details);
    detailsLayout->setContentsMargins(0, 0, 0, 0);
    detailsLayout->addWidget(m_help);
    detailsLayout->addWidget(m_example, 1);
    auto *splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(m_table);
    splitter->addWidget(details);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(splitter, 1);

    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &DroppedEventsView::showExample);
    auto *timer = new QTimer(this);
    timer->setInterval(kRefreshMs);
    connect(timer, &QTimer::timeout, this, [this]() {
        if (isVisible())
            refresh();
    });
    timer->start();
    resize(1000, 700);
    refresh();
}

namespace {

struct DroppedRead {
    QList<DropSummary> rows;
    QHash<qint64, QString> projectNames;
};

} // namespace

void DroppedEventsView::refresh()
{
    if (m_reading)
        return; // the timer's next tick reads again
    m_reading = true;
    m_storage.read(
        [](StorageBackend &backend) -> Result<DroppedRead, QString> {
            DroppedRead read;
            for (const Project &project : backend.projects().all())
                read.projectNames.insert(project.id, project.name);
            QString error;
            read.rows = backend.activity().dropSummaries(QDateTime::currentMSecsSinceEpoch(), &error);
            if (!error.isEmpty())
                return error;
            return read;
        },
        this,
        [this](const StorageResult<Result<DroppedRead, QString>> &read) {
            m_reading = false;
            const QString error = !read ? storageErrorText(read.error()) : !read->ok() ? read->error() : QString();
            m_summary->setToolTip(error); // the server's words in full; the line has their start
            if (!error.isEmpty())
                m_summary->setText(tr("Cannot read the dropped events: %1").arg(shortErrorText(error)));
            else
                showRows(read->value().rows, read->value().projectNames);
            emit refreshed();
        });
}

void DroppedEventsView::showRows(QList<DropSummary> rows, const QHash<qint64, QString> &names)
{
    const DropSummary *before = m_model->summaryAt(m_table->currentIndex().row());
    const auto keyOf = [](const DropSummary &row) { return std::tie(row.projectId, row.reason, row.category); };
    std::optional<std::tuple<qint64, QString, QString>> selected;
    if (before)
        selected = keyOf(*before);
    qint64 day = 0;
    for (const DropSummary &row : rows)
        day += row.lastDay;
    m_model->setRows(std::move(rows), names);
    m_summary->setText(m_model->rowCount() == 0
            ? tr("Nothing was refused or dropped while retention kept count.")
            : tr("%1 requests refused or events dropped in the last 24 hours. Counted per hour for as long as "
                 "each project keeps its events; for each kind, the last request is kept with no more than its "
                 "first %2 bytes.")
                  .arg(QLocale().toString(day))
                  .arg(DroppedEventsStore::kExampleBytes));
    int row = 0;
    for (int i = 0; selected && i < m_model->rowCount(); ++i)
        if (keyOf(*m_model->summaryAt(i)) == *selected)
            row = i;
    if (m_model->rowCount() > 0)
        m_table->selectRow(row);
    showExample();
}

QString DroppedEventsView::printableHead(const QByteArray &head)
{
    QString text;
    text.reserve(head.size());
    for (const char c : head) {
        const auto byte = static_cast<unsigned char>(c);
        if (byte == '\n' || (byte >= 0x20 && byte < 0x7f && byte != '\\'))
            text += QLatin1Char(char(byte));
        else
            text += QStringLiteral("\\x%1").arg(byte, 2, 16, QLatin1Char('0'));
    }
    return text;
}

void DroppedEventsView::showExample()
{
    const DropSummary *row = m_model->summaryAt(m_table->currentIndex().row());
    m_help->setText(row ? QStringLiteral("<b>%1</b> — %2")
                              .arg(DroppedEventsModel::reasonTitle(*row).toHtmlEscaped(),
                                  DroppedEventsModel::reasonHelp(row->reason).toHtmlEscaped())
                        : QString());
    if (!row || !row->example) {
        m_example->setPlainText(row ? (row->fromClient() ? tr("The SDK reported these itself; no request was refused.")
                                                         : tr("No example is left (retention pruned it)."))
                                    : QString());
        return;
    }
    const DropExample &e = *row->example;
    const QLocale locale;
    const auto safe = [](const QString &text) { return escapedText(text, Backslash::Keep); };
    QString text = tr("Last seen   %1\nFrom        %2\nRequest     %3\nSize        %4\nAnswered    %5 %6\n")
                       .arg(locale.toString(QDateTime::fromMSecsSinceEpoch(e.receivedMs), QLocale::LongFormat),
                           e.peer.isEmpty() ? tr("(unknown)") : safe(e.peer), safe(e.request),
                           e.size > 0 ? tr("%1 bytes").arg(locale.toString(e.size)) : tr("no body"),
                           QString::number(e.status), safe(e.answer));
    if (!e.head.isEmpty())
        text += tr("\nFirst %1 bytes of the body (other bytes as \\xNN):\n%2")
                    .arg(QString::number(e.head.size()), printableHead(e.head));
    m_example->setPlainText(text);
}

QString DroppedEventsView::summaryText() const { return m_summary->text(); }

QString DroppedEventsView::exampleText() const { return m_example->toPlainText(); }

} // namespace faultline
