#include "ui/grouping_view.h"

#include <QFontDatabase>
#include <QLabel>
#include <QPalette>
#include <QVBoxLayout>

namespace faultline {

namespace {

using Kind = GroupingPart::Kind;

QString code(const QString &text) { return QStringLiteral("<code>%1</code>").arg(text.toHtmlEscaped()); }

QString partHtml(const GroupingPart &part)
{
    switch (part.kind) {
    case Kind::Fingerprint:
        return QObject::tr("fingerprint %1").arg(code(part.value));
    case Kind::ExceptionType:
        return QObject::tr("exception type %1").arg(code(part.value));
    case Kind::ExceptionValue:
        return QObject::tr("exception value %1").arg(code(part.value.section(u'\n', 0, 0)));
    case Kind::Message:
        return QObject::tr("message %1").arg(code(part.value.section(u'\n', 0, 0)));
    case Kind::Frame: {
        if (!part.counts())
            return part.count == 1 ? QObject::tr("1 frame") : QObject::tr("%1 frames").arg(part.count);
        QString text = QObject::tr("frame %1").arg(code(groupingFrameLabel(part)));
        if (!part.contextLine.isEmpty())
            text += QObject::tr(" — %1").arg(code(part.contextLine));
        return text;
    }
    case Kind::Fallback:
        break;
    }
    return QObject::tr("nothing to group by: every such event is one issue");
}

QString basisText(const StoredGroupingKey &key)
{
    const GroupingExplanation &explanation = key.explanation;
    QString text = QObject::tr("Strategy %1").arg(code(explanation.strategy));
    if (!explanation.basis.isEmpty())
        text += QObject::tr(", by %1").arg(explanation.basis.toHtmlEscaped());
    if (explanation.variant == u"app")
        text += QObject::tr(", app frames only");
    else if (explanation.variant == u"system")
        text += QObject::tr(", all frames (the SDK marked none as app code)");
    if (key.linkedBy == u"v1")
        text += QObject::tr(". Its key matched no issue, but its %1 key named this one, so it joined it "
                            "(grouping changed without splitting the issue).")
                    .arg(code(QStringLiteral("v1")));
    return text;
}

} // namespace

GroupingView::GroupingView(QWidget *parent)
    : QWidget(parent)
    , m_summary(new QLabel(this))
    , m_parts(new QLabel(this))
    , m_key(new QLabel(this))
{
    setObjectName(QStringLiteral("groupingView"));
    for (QLabel *label : { m_summary, m_parts, m_key }) {
        label->setWordWrap(true);
        label->setTextInteractionFlags(Qt::TextSelectableByMouse);
        label->setMinimumWidth(1);
    }
    m_summary->setTextFormat(Qt::RichText);
    m_parts->setTextFormat(Qt::RichText);
    m_key->setTextFormat(Qt::PlainText);
    m_key->setForegroundRole(QPalette::PlaceholderText);
    m_key->setFont(QFontDatabase::systemFont(QFontDatabase::SmallestReadableFont));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addWidget(m_summary);
    layout->addWidget(m_parts);
    layout->addWidget(m_key);
}

bool GroupingView::setGrouping(const std::optional<StoredGroupingKey> &key)
{
    m_plainSummary.clear();
    if (!key || key->explanation.parts.isEmpty()) {
        m_summary->clear();
        m_parts->clear();
        m_key->clear();
        return false;
    }
    m_plainSummary = tr("Grouped by: %1").arg(describeGrouping(key->explanation));
    m_summary->setText(basisText(*key));

    // Counted parts read normally, ignored ones dimmed with the reason.
    const QString dim = palette().color(QPalette::PlaceholderText).name();
    QStringList rows;
    for (const GroupingPart &part : key->explanation.parts) {
        if (part.counts())
            rows.append(QStringLiteral("<li>%1</li>").arg(partHtml(part)));
        else
            rows.append(QStringLiteral("<li><span style=\"color:%1\">%2 — %3</span></li>")
                            .arg(dim, tr("ignored: %1").arg(partHtml(part)), part.ignored.toHtmlEscaped()));
    }
    m_parts->setText(QStringLiteral("<ul style=\"margin-left:-20px\">%1</ul>").arg(rows.join(QString())));
    m_key->setText(tr("key %1").arg(key->hash));
    return true;
}

QString GroupingView::summaryText() const { return m_plainSummary; }

} // namespace faultline
