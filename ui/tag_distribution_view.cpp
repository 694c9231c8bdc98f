#include "ui/tag_distribution_view.h"

#include "model/query/query.h"
#include "ui/triage/plural.h"
#include "ui/triage/relative_time.h"

#include <QDateTime>
#include <QLabel>
#include <QLocale>
#include <QPainter>
#include <QPainterPath>
#include <QStyleOptionFocusRect>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>

namespace faultline {

namespace {

constexpr int kBarPadding = 6;

QString percentText(double share)
{
    const double percent = share * 100.0;
    if (percent > 0 && percent < 1)
        return QStringLiteral("<1%");
    return QStringLiteral("%1%").arg(qRound(percent));
}

} // namespace

TagValueBar::TagValueBar(const TagValueCount &value, double share, QWidget *parent)
    : QAbstractButton(parent)
    , m_value(value)
    , m_share(std::clamp(share, 0.0, 1.0))
{
    setText(value.value);
    setCursor(Qt::PointingHandCursor);
    setFocusPolicy(Qt::TabFocus);
    setAccessibleName(QStringLiteral("%1 %2").arg(value.value, percentText(m_share)));
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    setToolTip(tr("%1\n%2 (%3 of the issue's events)\nfirst seen %4, last seen %5\nClick to list these events")
                   .arg(value.value, countText(value.events, "%1 event", "%1 events"), percentText(m_share),
                       relativeTime(value.firstSeenMs, now), relativeTime(value.lastSeenMs, now)));
}

QSize TagValueBar::sizeHint() const
{
    const QFontMetrics metrics(font());
    return { metrics.horizontalAdvance(text()) + metrics.horizontalAdvance(QStringLiteral(" 100%")) + 3 * kBarPadding,
        metrics.height() + 6 };
}

QSize TagValueBar::minimumSizeHint() const
{
    const QFontMetrics metrics(font());
    return { metrics.horizontalAdvance(QStringLiteral("Wi… 100%")) + 3 * kBarPadding, metrics.height() + 6 };
}

void TagValueBar::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF area = QRectF(rect()).adjusted(0.5, 0.5, -0.5, -0.5);
    const QPalette &pal = palette();
    QColor track = pal.color(QPalette::Mid);
    track.setAlphaF(underMouse() ? 0.30 : 0.18);
    QColor fill = pal.color(QPalette::Highlight);
    fill.setAlphaF(underMouse() ? 0.55 : 0.38);
    QPainterPath rounded;
    rounded.addRoundedRect(area, 3, 3);
    painter.fillPath(rounded, track);
    painter.save();
    painter.setClipPath(rounded);
    painter.fillRect(QRectF(area.left(), area.top(), area.width() * m_share, area.height()), fill);
    painter.restore();

    const QFontMetrics metrics(font());
    const QString percent = percentText(m_share);
    const int percentWidth = metrics.horizontalAdvance(percent);
    const QRect textArea = rect().adjusted(kBarPadding, 0, -kBarPadding, 0);
    painter.setPen(pal.color(QPalette::WindowText));
    painter.drawText(textArea, Qt::AlignRight | Qt::AlignVCenter, percent);
    const QString elided = metrics.elidedText(text(), Qt::ElideMiddle, textArea.width() - percentWidth - kBarPadding);
    painter.drawText(textArea, Qt::AlignLeft | Qt::AlignVCenter, elided);
    if (hasFocus()) {
        QStyleOptionFocusRect focus;
        focus.initFrom(this);
        style()->drawPrimitive(QStyle::PE_FrameFocusRect, &focus, &painter, this);
    }
}

TagDistributionView::TagDistributionView(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QVBoxLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
    m_layout->setSpacing(3);
}

void TagDistributionView::clear() { setSummary(IssueSummary {}, 0); }

void TagDistributionView::setSummary(const IssueSummary &summary, qint64 issueEvents)
{
    if (summary.issueId != m_summary.issueId)
        m_expanded.clear();
    m_summary = summary;
    m_issueEvents = issueEvents;
    rebuild();
}

QString TagDistributionView::filterTerm(const TagDistribution &tag, const QString &value)
{
    // The event's own release and environment are what their keys search; a tag named
    // like any search key is written tag:key=value, or the search would mean the key.
    const bool ownField = tag.key == u"release" || tag.key == u"environment";
    if (!tag.derived && !ownField
        && (queryKeyField(tag.key) || tag.key.startsWith(QLatin1String("user")) || tag.key.contains(u' ')
            || tag.key.contains(u':')))
        return QStringLiteral("tag:") + tag.key + u'=' + value;
    return tag.key + u':' + value;
}

void TagDistributionView::rebuild()
{
    // Later, not now: the "Show more" button that asked for this is still in its click.
    while (QLayoutItem *item = m_layout->takeAt(0)) {
        if (QWidget *widget = item->widget()) {
            widget->hide();
            widget->deleteLater();
        }
        delete item;
    }
    if (m_summary.tags.isEmpty()) {
        auto *none
            = new QLabel(tr("No tags yet: the issue's events carried no release, environment, user or tags."), this);
        none->setWordWrap(true);
        none->setForegroundRole(QPalette::PlaceholderText);
        m_layout->addWidget(none);
        m_layout->addStretch(1);
        return;
    }
    const qint64 total = std::max<qint64>(1, m_issueEvents);
    for (const TagDistribution &tag : std::as_const(m_summary.tags)) {
        auto *header = new QHBoxLayout;
        auto *name = new QLabel(tag.key, this);
        name->setObjectName(QStringLiteral("tagKey"));
        QFont bold = name->font();
        bold.setBold(true);
        name->setFont(bold);
        auto *values = new QLabel(countText(tag.distinctValues, "%1 value", "%1 values"), this);
        values->setForegroundRole(QPalette::PlaceholderText);
        values->setToolTip(tr("%1 carry %2").arg(countText(tag.events, "%1 event", "%1 events"), tag.key));
        header->addWidget(name, 1);
        header->addWidget(values);
        auto *block = new QWidget(this);
        block->setObjectName(QStringLiteral("tag:") + tag.key);
        auto *blockLayout = new QVBoxLayout(block);
        blockLayout->setContentsMargins(0, 6, 0, 0);
        blockLayout->setSpacing(2);
        blockLayout->addLayout(header);
        const bool expanded = m_expanded.contains(tag.key);
        const qsizetype shown = expanded ? tag.top.size() : std::min<qsizetype>(kCollapsedValues, tag.top.size());
        const qint64 denominator = std::max(total, tag.events);
        for (qsizetype i = 0; i < shown; ++i) {
            const TagValueCount &value = tag.top.at(i);
            auto *bar = new TagValueBar(value, double(value.events) / double(denominator), block);
            const QString term = filterTerm(tag, value.value);
            connect(bar, &TagValueBar::clicked, this, [this, term] { emit valueClicked(term); });
            blockLayout->addWidget(bar);
        }
        if (tag.top.size() > kCollapsedValues) {
            auto *more = new QToolButton(block);
            more->setAutoRaise(true);
            more->setText(expanded ? tr("Show fewer") : tr("Show %1 more").arg(tag.top.size() - kCollapsedValues));
            const QString key = tag.key;
            connect(more, &QToolButton::clicked, this, [this, key, expanded] {
                if (expanded)
                    m_expanded.removeAll(key);
                else
                    m_expanded.append(key);
                rebuild();
            });
            blockLayout->addWidget(more, 0, Qt::AlignLeft);
        }
        m_layout->addWidget(block);
    }
    m_layout->addStretch(1);
}

} // namespace faultline
