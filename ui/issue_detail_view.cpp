#include "ui/issue_detail_view.h"
#include "ui/triage/plural.h"

#include "storage/storage_error_text.h"
#include "ui/detail_section.h"
#include "ui/event_view.h"
#include "ui/fragment_tool_tips.h"
#include "ui/grouping_view.h"
#include "ui/issue_events_view.h"
#include "ui/issue_histogram_view.h"
#include "ui/source_workspace.h"
#include "ui/tag_distribution_view.h"
#include "ui/triage/issue_events_model.h"
#include "ui/triage/level_style.h"
#include "ui/triage/relative_time.h"

#include <QDateTime>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QLabel>
#include <QResizeEvent>
#include <QScrollArea>
#include <QScrollBar>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTextDocument>
#include <QToolButton>
#include <QVBoxLayout>

namespace faultline {

namespace {

QToolButton *navButton(const QString &text, const QString &tip, QWidget *parent)
{
    auto *button = new QToolButton(parent);
    button->setText(text);
    button->setToolTip(tip);
    button->setAutoRaise(true);
    return button;
}

QColor statusColour(const IssueRow &issue)
{
    if (issue.status == QLatin1String("resolved"))
        return QColor(0x43, 0xa0, 0x47);
    if (issue.status == QLatin1String("ignored"))
        return QColor(0x75, 0x75, 0x75);
    return issue.regressed ? QColor(0x8e, 0x24, 0xaa) : QColor(0xe5, 0x39, 0x35);
}

// `text` as HTML that a line never breaks inside ("first seen 38 min ago", "4 events").
QString unbroken(const QString &text) { return text.toHtmlEscaped().replace(u' ', QLatin1String("&nbsp;")); }

} // namespace

IssueDetailView::IssueDetailView(StorageGateway &storage, QWidget *parent)
    : QWidget(parent)
    , m_storage(storage)
    , m_stack(new QStackedWidget(this))
    , m_placeholder(new QLabel(this))
    , m_title(new QLabel(this))
    , m_culprit(new QLabel(this))
    , m_facts(new QLabel(this))
    , m_histogram(new IssueHistogramView(this))
    // Arrows only, named in their tooltips: the row must fit a 450 px pane.
    , m_oldest(navButton(QStringLiteral("⇤"), tr("Oldest event"), this))
    , m_previous(navButton(QStringLiteral("←"), tr("Previous (older) event"), this))
    , m_next(navButton(QStringLiteral("→"), tr("Next (newer) event"), this))
    , m_latest(navButton(QStringLiteral("⇥"), tr("Latest event"), this))
    , m_position(new QLabel(this))
    , m_eventInfo(new QLabel(this))
    , m_scroll(new QScrollArea(this))
    , m_eventView(new EventView(this))
    , m_tabs(new QTabWidget(this))
    , m_eventTab(new QWidget(this))
    , m_eventsView(new IssueEventsView(storage, this))
    , m_tagView(new TagDistributionView(this))
    , m_tagPanel(new QScrollArea(this))
    , m_side(new QWidget(this))
    , m_groupingView(new GroupingView(this))
    , m_groupingSection(m_eventView->addSection(tr("Grouping"), m_groupingView))
{
    m_placeholder->setText(tr("Select an issue to see its events."));
    m_placeholder->setAlignment(Qt::AlignCenter);
    m_placeholder->setForegroundRole(QPalette::PlaceholderText);

    auto *page = new QWidget(this);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(10, 8, 10, 0);
    layout->setSpacing(4);

    m_title->setObjectName(QStringLiteral("issueTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    m_title->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.35);
    m_title->setFont(titleFont);
    m_culprit->setTextFormat(Qt::PlainText);
    m_culprit->setWordWrap(true);
    m_culprit->setForegroundRole(QPalette::PlaceholderText);
    m_culprit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_culprit->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_facts->setObjectName(QStringLiteral("issueFacts"));
    m_facts->setTextFormat(Qt::RichText);
    m_facts->setWordWrap(true);
    m_facts->setMinimumWidth(1);
    new FragmentToolTips(m_facts); // a time's date, a shortened release's full name

    auto *copyJson = navButton(tr("Copy JSON"), tr("Copy this event's JSON to the clipboard"), this);
    auto *saveJson = navButton(tr("Save…"), tr("Save this event's JSON to a file"), this);
    m_position->setObjectName(QStringLiteral("eventPosition"));
    m_eventInfo->setForegroundRole(QPalette::PlaceholderText);
    m_eventInfo->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_eventInfo->setObjectName(QStringLiteral("eventInfo"));
    m_eventInfo->installEventFilter(this); // re-elided as it resizes
    m_eventInfo->setMinimumWidth(1);
    m_title->setMinimumWidth(1);
    m_culprit->setMinimumWidth(1);

    auto *nav = new QHBoxLayout;
    nav->setSpacing(2);
    nav->addWidget(m_oldest);
    nav->addWidget(m_previous);
    nav->addWidget(m_position);
    nav->addWidget(m_next);
    nav->addWidget(m_latest);
    nav->addStretch(1);
    nav->addWidget(copyJson);
    nav->addWidget(saveJson);

    auto *line = new QFrame(this);
    line->setFrameShape(QFrame::HLine);
    line->setFrameShadow(QFrame::Sunken);

    m_headerActions = new QHBoxLayout;
    m_headerActions->setSpacing(4);
    m_headerActions->addStretch(1);
    layout->addLayout(m_headerActions);
    layout->addWidget(m_title);
    layout->addWidget(m_culprit);
    layout->addWidget(m_facts);
    layout->addWidget(m_histogram);

    auto *eventLayout = new QVBoxLayout(m_eventTab);
    eventLayout->setContentsMargins(0, 4, 0, 0);
    eventLayout->setSpacing(4);
    eventLayout->addLayout(nav);
    eventLayout->addWidget(m_eventInfo);
    eventLayout->addWidget(line);
    m_scroll->setWidgetResizable(true);
    m_scroll->setFrameShape(QFrame::NoFrame);
    m_scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_scroll->setWidget(m_eventView);
    m_scroll->setFocusPolicy(Qt::StrongFocus); // Esc/arrow keys scroll it once opened
    eventLayout->addWidget(m_scroll, 1);

    m_tagPanel->setObjectName(QStringLiteral("tagPanel"));
    m_tagPanel->setWidgetResizable(true);
    m_tagPanel->setFrameShape(QFrame::NoFrame);
    m_tagPanel->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_tagPanel->setWidget(m_tagView);
    m_tagView->setContentsMargins(4, 0, 8, 8);
    m_side->setObjectName(QStringLiteral("tagSide"));
    auto *sideLayout = new QVBoxLayout(m_side);
    sideLayout->setContentsMargins(8, 0, 0, 0);
    m_side->hide();

    m_tabs->setObjectName(QStringLiteral("detailTabs"));
    m_tabs->setDocumentMode(true);
    m_tabs->addTab(m_eventTab, tr("Event"));
    m_tabs->addTab(m_eventsView, tr("Events"));
    m_tabs->setTabToolTip(0, tr("One event: its exception, stack, breadcrumbs and request"));
    m_tabs->setTabToolTip(1, tr("Every event of the issue, searchable"));
    auto *body = new QHBoxLayout;
    body->setSpacing(0);
    body->addWidget(m_tabs, 1);
    body->addWidget(m_side);
    layout->addLayout(body, 1);

    m_stack->addWidget(m_placeholder);
    m_stack->addWidget(page);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(m_stack);

    connect(m_oldest, &QToolButton::clicked, this, &IssueDetailView::showOldest);
    connect(m_previous, &QToolButton::clicked, this, &IssueDetailView::showPrevious);
    connect(m_next, &QToolButton::clicked, this, &IssueDetailView::showNext);
    connect(m_latest, &QToolButton::clicked, this, &IssueDetailView::showLatest);
    connect(copyJson, &QToolButton::clicked, this, &IssueDetailView::copyEventJson);
    connect(saveJson, &QToolButton::clicked, this, &IssueDetailView::saveEventJson);
    connect(m_eventView, &EventView::tagClicked, this, &IssueDetailView::tagClicked);
    connect(m_tagView, &TagDistributionView::valueClicked, this, &IssueDetailView::filterEvents);
    connect(m_eventsView, &IssueEventsView::eventActivated, this, &IssueDetailView::showEventRow);
    connect(m_eventsView, &IssueEventsView::compareRequested, this, &IssueDetailView::compareEvents);
    connect(m_histogram, &IssueHistogramView::spanChanged, this, &IssueDetailView::reloadChart);
    connect(m_eventsView->model(), &IssueEventsModel::loaded, this, [this] {
        if (!isLoading())
            emit loaded();
    });
    placeTagPanel();
    clear();
}

void IssueDetailView::addHeaderWidget(QWidget *widget)
{
    m_headerActions->insertWidget(m_headerActions->count() - 1, widget);
}

void IssueDetailView::clear()
{
    // Answers on their way are for what is no longer shown.
    ++m_activityGeneration;
    ++m_eventGeneration;
    ++m_chartGeneration;
    m_eventRequested = false;
    m_issue.reset();
    m_summary = IssueSummary {};
    m_event = Event {};
    m_rawJson.clear();
    m_eventRowId = 0;
    m_eventCount = 0;
    m_eventNumber = 0;
    m_shownNumber = 0;
    m_tagView->clear();
    m_eventsView->setIssue(0);
    m_stack->setCurrentIndex(0);
}

void IssueDetailView::setSourceWorkspace(SourceWorkspace *workspace)
{
    m_workspace = workspace;
    m_eventView->setSourceWorkspace(workspace);
}

void IssueDetailView::setIssue(const IssueRow &issue)
{
    const bool same = m_issue && m_issue->id == issue.id;
    if (m_workspace)
        m_workspace->setProject(issue.projectId); // before its events are shown: their frames map through it
    m_stack->setCurrentIndex(1);
    m_issue = issue;
    if (!same) {
        // A fresh issue starts at the span that suits its age, and its title shows at once; its
        // chart, tags and event follow (the previous issue's stay until then: no blank flash).
        m_histogram->setSpan(IssueHistogramView::defaultSpan(issue.firstSeenMs, QDateTime::currentMSecsSinceEpoch()));
        m_eventNumber = 0;
        m_eventCount = 0;
        showFacts(issue, QString());
        setEventInfo(tr("Reading the latest event…"));
        updateNavigation();
    }
    requestActivity(issue);
    m_eventsView->setIssue(issue.id);
    if (!same || m_eventNumber == 0)
        requestEvent(EventTarget { issue.id, 0, 0, 0 });
}

void IssueDetailView::updateIssue(const IssueRow &issue)
{
    if (m_issue && m_issue->id == issue.id)
        requestActivity(issue);
}

void IssueDetailView::applyUpdate(const IssueActivity &activity)
{
    if (!m_issue || m_issue->id != activity.issue.id)
        return;
    if (!activity.error.isEmpty()) { // what is shown stays, with why it is not newer
        if (m_summary.issueId != activity.issue.id) { // though never another issue's
            m_summary = IssueSummary {};
            m_tagView->clear();
            m_histogram->setHistogram(Histogram {}, {});
        }
        showFacts(activity.issue, activity.error);
        return;
    }
    // Counted from the oldest, so new events arriving do not shift the one on screen.
    const bool grew = activity.eventCount != m_eventCount;
    showActivity(activity);
    if (grew && m_tabs->currentWidget() == m_eventsView)
        m_eventsView->refresh();
    if (m_eventNumber == 0 && m_eventCount > 0 && !m_eventRequested)
        showLatest();
    else
        updateNavigation();
}

void IssueDetailView::showActivity(const IssueActivity &activity)
{
    m_issue = activity.issue;
    m_eventCount = activity.eventCount;
    m_summary = activity.summary;
    showFacts(activity.issue, activity.error);
    m_tagView->setSummary(activity.summary, activity.issue.count);
    QList<IssueHistogramView::ReleaseMarker> markers;
    for (const TagValueCount &release : activity.summary.releases)
        markers.append({ release.firstSeenMs, release.value });
    m_histogram->setHistogram(activity.histogram, markers);
}

void IssueDetailView::showFacts(const IssueRow &issue, const QString &error)
{
    m_title->setText(issue.title.isEmpty() ? tr("(no title)") : issue.title);
    m_title->setToolTip(issue.title);
    m_culprit->setText(issue.culprit);
    m_culprit->setVisible(!issue.culprit.isEmpty());
    const QString status
        = issue.regressed && issue.status == QLatin1String("unresolved") ? tr("regressed") : issue.status;
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    // The summary's parts once it is this issue's (a fresh issue's arrives after its title).
    const bool summarized = m_summary.issueId == issue.id;
    // A narrow pane wraps the line between facts, never inside one ("first seen 38 min" / "ago"); a
    // release name is shortened so that a fact still fits the narrowest pane (450 px).
    QFont bold = m_facts->font();
    bold.setBold(true);
    const QFontMetrics boldMetrics(bold);
    auto seen = [now, summarized, &boldMetrics](const char *label, qint64 ms, const QString &release) {
        QString text = QStringLiteral("%1&nbsp;<span title=\"%2\">%3</span>")
                           .arg(unbroken(tr(label)), absoluteTime(ms), unbroken(relativeTime(ms, now)));
        if (summarized && !release.isEmpty())
            text += tr("&nbsp;in&nbsp;<b title=\"%1\">%2</b>")
                        .arg(release.toHtmlEscaped(), unbroken(boldMetrics.elidedText(release, Qt::ElideMiddle, 200)));
        return text;
    };
    QStringList parts { badgeHtml(issue.level, levelColor(issue.level)) + QStringLiteral("&nbsp;")
            + badgeHtml(status, statusColour(issue)),
        QStringLiteral("<b>%1</b>").arg(unbroken(countText(issue.count, "%1 event", "%1 events"))) };
    if (summarized)
        parts.append(QStringLiteral("<b>%1</b>").arg(unbroken(countText(m_summary.users, "%1 user", "%1 users"))));
    // One "seen" for one moment, and the release once when it did not change:
    // at 1000×700 the line otherwise wraps twice.
    if (issue.firstSeenMs == issue.lastSeenMs) {
        parts.append(seen("seen", issue.lastSeenMs, m_summary.lastRelease));
    } else {
        parts.append(seen("first seen", issue.firstSeenMs, m_summary.firstRelease));
        parts.append(seen("last seen", issue.lastSeenMs,
            m_summary.lastRelease == m_summary.firstRelease ? QString() : m_summary.lastRelease));
    }
    if (!error.isEmpty()) // the server's words can run to three lines (libpq's hints): all of them on hover
        parts.append(tr("could not read the issue's activity: %1").arg(shortErrorText(error).toHtmlEscaped()));
    // A wrapped line ends with the separator rather than the next one starting with it.
    m_facts->setText(parts.join(QStringLiteral("&nbsp;&nbsp;·&nbsp; ")));
    m_facts->setToolTip(error);
}

void IssueDetailView::updateNavigation()
{
    m_position->setText(m_eventCount > 0 ? tr("Event %1 of %2").arg(m_eventNumber).arg(m_eventCount) : tr("No events"));
    m_oldest->setEnabled(m_eventNumber > 1);
    m_previous->setEnabled(m_eventNumber > 1);
    m_next->setEnabled(m_eventNumber < m_eventCount);
    m_latest->setEnabled(m_eventNumber < m_eventCount);
}

void IssueDetailView::showOldest() { showEventNumber(1); }

void IssueDetailView::showPrevious() { showEventNumber(m_eventNumber - 1); }

void IssueDetailView::showNext() { showEventNumber(m_eventNumber + 1); }

void IssueDetailView::showLatest() { showEventNumber(m_eventCount); }

void IssueDetailView::showEventNumber(int number)
{
    if (!m_issue || m_eventCount <= 0)
        return;
    // The arrows step from the number asked for, so a held key walks on while reads run.
    m_eventNumber = qBound(1, number, m_eventCount);
    updateNavigation();
    requestEvent(EventTarget { m_issue->id, m_eventNumber, 0, 0 });
}

void IssueDetailView::showSnapshot(const EventSnapshot &snapshot)
{
    if (!snapshot.row && !snapshot.error.isEmpty() && m_eventRowId != 0 && m_eventIssueId == snapshot.issueId) {
        // A failed read leaves the event on screen, saying why it is not the one asked for.
        m_eventNumber = m_shownNumber;
        setEventInfo(tr("Could not read the event: %1").arg(shortErrorText(snapshot.error)), snapshot.error);
        updateNavigation();
        emit eventShown(m_eventNumber, m_eventCount);
        return;
    }
    m_eventCount = snapshot.count;
    m_eventNumber = snapshot.number;
    m_shownNumber = snapshot.number;
    m_eventIssueId = snapshot.issueId;
    if (!snapshot.row) {
        m_event = Event {};
        m_rawJson.clear();
        m_eventRowId = 0;
        m_eventTimestampMs = 0;
        setEventInfo(!snapshot.error.isEmpty() ? tr("Could not read the event: %1").arg(shortErrorText(snapshot.error))
                : snapshot.count == 0          ? tr("The issue has no stored events.")
                                               : tr("event not found"),
            snapshot.error);
        m_eventView->clear();
    } else {
        const EventRow &row = *snapshot.row;
        m_rawJson = row.rawJson;
        m_eventRowId = row.rowId;
        m_event = snapshot.event;
        m_eventTimestampMs = row.timestampMs;
        QString info = tr("Event %1 · received %2 · %3")
                           .arg(row.eventId, absoluteTime(row.receivedMs),
                               relativeTime(row.receivedMs, QDateTime::currentMSecsSinceEpoch()));
        if (!snapshot.error.isEmpty())
            info += tr(" · could not read all of it: %1").arg(shortErrorText(snapshot.error));
        QString toolTip = tr("Event %1, received %2").arg(row.eventId, absoluteTime(row.receivedMs));
        if (!snapshot.error.isEmpty())
            toolTip += u'\n' + snapshot.error;
        setEventInfo(info, toolTip);
        m_eventView->setEvent(m_event);
        m_eventView->setPages(snapshot.pages);
        m_groupingSection->setVisible(m_groupingView->setGrouping(snapshot.grouping));
        m_groupingSection->setSubtitle(snapshot.grouping ? snapshot.grouping->explanation.strategy : QString());
    }
    m_scroll->verticalScrollBar()->setValue(0);
    updateNavigation();
    emit eventShown(m_eventNumber, m_eventCount);
}

} // namespace faultline
