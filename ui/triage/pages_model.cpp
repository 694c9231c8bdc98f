#include "ui/triage/pages_model.h"

#include "storage/storage_gateway.h"

#include "ui/triage/http_status.h"
#include "ui/triage/plural.h"
#include "ui/triage/relative_time.h"
#include "ui/triage/safe_text_document.h"

#include <QAbstractTextDocumentLayout>
#include <QDateTime>
#include <QFont>
#include <QGuiApplication>
#include <QPainter>
#include <QPalette>
#include <QtConcurrent/QtConcurrentRun>

namespace faultline {

namespace {

// Wide enough that pages lay out as on a laptop, not as a phone column.
constexpr int kThumbnailPageWidth = 1000;
// A page of a line or two (`<h1>500</h1>`) laid out at a laptop's width shrinks to specks in a
// thumbnail; laid out this narrow it is scaled down less, and its words stay readable.
constexpr int kShortPageWidth = 240;

// What a thumbnail says instead of a picture of the page, on grey, at the size of a page laid out
// `pageSize`.
QImage placeholderPage(const QString &text, QSize pageSize)
{
    QImage page(pageSize, QImage::Format_ARGB32_Premultiplied);
    page.fill(QColor(0xee, 0xee, 0xee));
    QPainter painter(&page);
    painter.setPen(QColor(0x55, 0x55, 0x55)); // dark enough to stay legible scaled down to a thumbnail
    QFont font = painter.font();
    font.setPixelSize(std::max(12, pageSize.height() / 6)); // about 10 px in the thumbnail
    painter.setFont(font);
    painter.drawText(page.rect(), Qt::AlignCenter, text);
    return page;
}

QString issuesText(const DistinctPage &page)
{
    QStringList parts;
    for (int i = 0; i < page.issueIds.size(); ++i)
        parts.append(QStringLiteral("#%1 %2").arg(page.issueIds.at(i)).arg(page.issueTitles.value(i)));
    return parts.join(QStringLiteral("\n"));
}

} // namespace

PagesModel::PagesModel(StorageGateway &storage, QObject *parent)
    : QAbstractTableModel(parent)
    , m_storage(storage)
{
    m_renderPool.setMaxThreadCount(1);
    refresh();
}

PagesModel::~PagesModel() { m_renderPool.waitForDone(); }

int PagesModel::rowCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : int(m_pages.size()); }

int PagesModel::columnCount(const QModelIndex &parent) const { return parent.isValid() ? 0 : ColumnCount; }

QVariant PagesModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const DistinctPage &page = m_pages.at(index.row());
    switch (role) {
    case Sha256Role:
        return page.sha256;
    case StatusCodeRole:
        return page.statusCode;
    case EventsRole:
        return page.events;
    case FirstSeenRole:
        return page.firstSeenMs;
    case LastSeenRole:
        return page.lastSeenMs;
    case IssueIdsRole:
        return QVariant::fromValue(page.issueIds);
    case SizeRole:
        return page.size;
    case VariantsRole:
        return int(page.variants.size());
    default:
        break;
    }
    const qint64 now = nowMs();
    const int column = index.column();
    // Issue references read as links: a click opens the newest (see PagesView).
    if (column == IssuesColumn && !page.issueIds.isEmpty()) {
        if (role == Qt::ForegroundRole)
            return QGuiApplication::palette().brush(QPalette::Link);
        if (role == Qt::FontRole) {
            QFont font;
            font.setUnderline(true);
            return font;
        }
    }
    if (role == Qt::DisplayRole) {
        switch (column) {
        case PageColumn: {
            QString text = QStringLiteral("%1\n%2").arg(
                page.filename.isEmpty() ? tr("(unnamed page)") : page.filename, humanSize(page.size));
            if (page.variants.size() > 1)
                text += u'\n' + tr("%n variant(s)", nullptr, int(page.variants.size()));
            return text;
        }
        case StatusColumn:
            return page.statusCode > 0 ? QString::number(page.statusCode) : QStringLiteral("—");
        case EventsColumn:
            return QString::number(page.events);
        case FirstSeenColumn:
            return relativeTime(page.firstSeenMs, now);
        case LastSeenColumn:
            return relativeTime(page.lastSeenMs, now);
        case IssuesColumn:
            return issuesText(page);
        default:
            return {};
        }
    }
    if (role == Qt::DecorationRole && column == PageColumn)
        return thumbnail(page);
    if (role == Qt::ForegroundRole && column == StatusColumn)
        return httpStatusColor(page.statusCode);
    if (role == Qt::TextAlignmentRole && (column == StatusColumn || column == EventsColumn))
        return int(Qt::AlignRight | Qt::AlignVCenter);
    if (role == Qt::ToolTipRole) {
        switch (column) {
        case PageColumn:
            return page.variants.size() > 1
                ? tr("%n renderings of one page: request ids, tokens, nonces and times differ\nnewest sha256 %1\n%2",
                    nullptr, int(page.variants.size()))
                      .arg(page.sha256, page.contentType)
                : tr("sha256 %1\n%2").arg(page.sha256, page.contentType);
        case StatusColumn:
            return httpReasonPhrase(page.statusCode);
        case FirstSeenColumn:
            return absoluteTime(page.firstSeenMs);
        case LastSeenColumn:
            return absoluteTime(page.lastSeenMs);
        case IssuesColumn:
            return page.releases.isEmpty() ? issuesText(page)
                                           : tr("%1\nReleases: %2").arg(issuesText(page), page.releases.join(u", "));
        default:
            return {};
        }
    }
    return {};
}

QVariant PagesModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case PageColumn:
        return tr("Page");
    case StatusColumn:
        return tr("Status");
    case EventsColumn:
        return tr("Events");
    case FirstSeenColumn:
        return tr("First seen");
    case LastSeenColumn:
        return tr("Last seen");
    case IssuesColumn:
        return tr("Issues");
    default:
        return {};
    }
}

void PagesModel::setProject(qint64 projectId)
{
    m_projectId = projectId;
    refresh();
}

void PagesModel::refresh()
{
    ++m_readsInFlight;
    m_storage.read([projectId = m_projectId](StorageBackend &backend) { return read(backend.pages(), projectId); },
        this,
        [this, projectId = m_projectId](const StorageResult<Snapshot> &snapshot) {
            --m_readsInFlight;
            apply(snapshot ? *snapshot : Snapshot { projectId, {}, storageErrorText(snapshot.error()) });
            emitLoadedWhenIdle();
        });
}

PagesModel::Snapshot PagesModel::read(const PageReader &pages, qint64 projectId)
{
    Snapshot snapshot;
    snapshot.projectId = projectId;
    snapshot.pages = pages.distinctPages(projectId, &snapshot.error);
    return snapshot;
}

void PagesModel::apply(const Snapshot &snapshot)
{
    if (snapshot.projectId != m_projectId)
        return;
    m_error = snapshot.error;
    beginResetModel();
    m_pages = snapshot.pages;
    endResetModel();
    requestShownThumbnails();
}

DistinctPage PagesModel::page(int row) const { return m_pages.value(row); }

qint64 PagesModel::nowMs() const { return m_nowMs > 0 ? m_nowMs : QDateTime::currentMSecsSinceEpoch(); }

void PagesModel::readPageData(
    const QString &sha256, QObject *receiver, std::function<void(const QByteArray &)> done) const
{
    // A body that cannot be read shows as an empty page (the preview says it has no content).
    m_storage.read([sha256](StorageBackend &backend) { return backend.pages().data(sha256); }, receiver,
        [done = std::move(done)](const StorageResult<QByteArray> &data) { done(data ? *data : QByteArray()); });
}

void PagesModel::emitLoadedWhenIdle()
{
    if (!isLoading())
        emit loaded();
}

int PagesModel::rowOf(const QString &shapeOrSha256, int statusCode) const
{
    for (int row = 0; row < m_pages.size(); ++row) {
        const DistinctPage &page = m_pages.at(row);
        if (page.statusCode != statusCode)
            continue;
        if (page.shape == shapeOrSha256 || page.sha256 == shapeOrSha256)
            return row;
        for (const PageVariant &variant : page.variants)
            if (variant.sha256 == shapeOrSha256)
                return row;
    }
    return -1;
}

QImage PagesModel::thumbnail(const DistinctPage &page) const
{
    auto cached = m_thumbnails.constFind(page.sha256);
    if (cached != m_thumbnails.constEnd())
        return *cached;
    // Transparent, of the thumbnail's size: the row keeps its layout until the picture comes.
    static const QImage blank = [] {
        QImage image(kThumbnailSize, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        return image;
    }();
    return blank;
}

void PagesModel::requestRows(int first, int last)
{
    m_shownFirst = first;
    m_shownLast = last;
    requestShownThumbnails();
}

void PagesModel::requestShownThumbnails()
{
    const int last = qMin(m_shownLast, int(m_pages.size()) - 1);
    for (int row = qMax(0, m_shownFirst); row <= last; ++row)
        requestThumbnail(m_pages.at(row).sha256);
}

void PagesModel::requestThumbnail(const QString &sha256)
{
    if (m_thumbnails.contains(sha256) || m_thumbnailsAsked.contains(sha256))
        return;
    m_thumbnailsAsked.insert(sha256);
    // The body is read on the gateway's reader, laid out and painted on the render thread.
    readPageData(sha256, this, [this, sha256](const QByteArray &html) {
        StorageGateway::deliver(QtConcurrent::run(&m_renderPool, [html]() { return renderThumbnail(html); }), this,
            [this, sha256](const QImage &image) { installThumbnail(sha256, image); });
    });
}

void PagesModel::installThumbnail(const QString &sha256, const QImage &image)
{
    m_thumbnailsAsked.remove(sha256);
    ++m_thumbnailsRendered;
    m_thumbnails.insert(sha256, image);
    for (int row = 0; row < m_pages.size(); ++row)
        if (m_pages.at(row).sha256 == sha256)
            emit dataChanged(index(row, PageColumn), index(row, PageColumn), { Qt::DecorationRole });
    emitLoadedWhenIdle();
}

QImage PagesModel::renderThumbnail(const QByteArray &html, QSize size)
{
    const auto pageSize = [size](int width) { return QSize(width, width * size.height() / std::max(1, size.width())); };
    const auto thumbnailOf
        = [size](const QImage &page) { return page.scaled(size, Qt::KeepAspectRatio, Qt::SmoothTransformation); };
    if (html.size() > SafeTextDocument::kMaxRenderBytes)
        return thumbnailOf(placeholderPage(tr("too large\nto preview"), pageSize(kThumbnailPageWidth)));
    SafeTextDocument document;
    document.setHtml(SafeTextDocument::prepareHtml(html));
    if (document.toPlainText().trimmed().isEmpty()) // an image would be U+FFFC here, not blank
        return thumbnailOf(placeholderPage(tr("blank page"), pageSize(kThumbnailPageWidth)));
    int width = kThumbnailPageWidth;
    document.setTextWidth(width);
    if (document.size().height() * 4 < pageSize(width).height()) {
        width = kShortPageWidth;
        document.setTextWidth(width);
    }
    QImage page(pageSize(width), QImage::Format_ARGB32_Premultiplied);
    page.fill(Qt::white);
    QPainter painter(&page);
    QAbstractTextDocumentLayout::PaintContext context;
    context.palette = SafeTextDocument::pagePalette();
    context.clip = QRectF(page.rect());
    document.documentLayout()->draw(&painter, context);
    painter.end();
    return thumbnailOf(page);
}

} // namespace faultline
