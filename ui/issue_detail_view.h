#pragma once
// The right-hand pane: the open issue's header (title, culprit, level,
// status, counts, first/last seen, its events over time, the releases and
// environments it was seen in), navigation through its events
// ("event N of M", counted from the oldest), and the event itself.
#include "model/event.h"
#include "storage/issue_histogram.h"
#include "storage/issue_queries.h"
#include "storage/issue_summary.h"

#include <QWidget>

#include <optional>

class QHBoxLayout;
class QLabel;
class QPushButton;
class QScrollArea;
class QStackedWidget;
class QTabWidget;
class QToolButton;

namespace faultline {

class DetailSection;
class EventQueries;
class EventView;
class IssueEventsView;
class GroupingQueries;
class GroupingView;
class IssueHistogramView;
class PageQueries;
class SourceWorkspace;
class TagDistributionView;

class IssueDetailView : public QWidget {
    Q_OBJECT
public:
    // `pages` and `histograms` may be null (no pages, no histogram); all must outlive the view.
    explicit IssueDetailView(EventQueries *events, PageQueries *pages = nullptr,
        IssueHistogramQueries *histograms = nullptr, QWidget *parent = nullptr);

    // What an update shows besides the event: the issue, its event count, histogram and
    // summary (tags, users, releases). A plain value, read on any thread (its own
    // connection), shown on the GUI thread.
    struct Activity {
        IssueRow issue;
        int eventCount = 0;
        Histogram histogram;
        IssueSummary summary;
        QString error;
    };
    // `histograms`/`summaries` may be null: no histogram / no summary. `chartRange`: the
    // chart's 24 h / 14 d / 90 d choice.
    static Activity readActivity(const IssueRow &issue, EventQueries &events, IssueHistogramQueries *histograms,
        IssueSummaryQueries *summaries = nullptr, int chartRange = 0);

    // The tag distribution, users and releases (may be null: none shown); must outlive the view.
    void setSummaryQueries(IssueSummaryQueries *summaries) { m_summaries = summaries; }

    // Frames open in the editor, requests replay; follows the open issue's project. May be null.
    void setSourceWorkspace(SourceWorkspace *workspace);
    // Where the "Grouping" section reads an event's key and explanation; may stay unset (no section).
    void setGroupingQueries(GroupingQueries *grouping) { m_grouping = grouping; }
    GroupingView *groupingView() const { return m_groupingView; }

    // Opens an issue at its latest event.
    void setIssue(const IssueRow &issue);
    // New events or a status change: updates header and count, keeps the event on screen.
    void updateIssue(const IssueRow &issue);
    void applyUpdate(const Activity &activity); // updateIssue() with the reads done; other issues are ignored
    void clear();
    // Buttons for the issue's actions above its title (the window's Resolve, Ignore…).
    void addHeaderWidget(QWidget *widget);

    std::optional<IssueRow> issue() const { return m_issue; }
    int eventCount() const { return m_eventCount; }
    int eventNumber() const { return m_eventNumber; } // 1 = oldest, eventCount() = latest
    const Event &currentEvent() const { return m_event; }
    // The shown event's stored JSON as Copy/Save JSON give it (with its id and timestamp).
    QByteArray currentEventJson() const;
    qint64 currentEventRowId() const { return m_eventRowId; } // events.id, for tags/attachments/pages
    EventView *eventView() const { return m_eventView; }
    IssueHistogramView *histogramView() const { return m_histogram; }
    QString facetsText() const; // "Releases: … · Environments: …" as the summary shows them
    QScrollArea *scrollArea() const { return m_scroll; }
    TagDistributionView *tagView() const { return m_tagView; }
    IssueEventsView *eventsView() const { return m_eventsView; }
    QTabWidget *tabs() const { return m_tabs; }
    QString factsText() const; // the header line under the title, as plain text
    const IssueSummary &summary() const { return m_summary; }
    // Opens the event with this row id (from the Events tab) in the Event tab.
    void showEventRow(qint64 rowId, qint64 receivedMs);
    // Lists the issue's events matching `term` in the Events tab.
    void filterEvents(const QString &term);
    // Opens two of the issue's events side by side (EventCompareDialog); false when one cannot be read.
    bool compareEvents(const QString &olderEventId, const QString &newerEventId);

    static constexpr int kSideBySideWidth = 760; // the tag panel moves beside the event from here

    void showOldest();
    void showPrevious();
    void showNext();
    void showLatest();
    void showEventNumber(int number);

    void copyEventJson() const;
    void saveEventJson();

signals:
    void tagClicked(const QString &key, const QString &value);
    void eventShown(int number, int count);

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showActivity(const Activity &activity); // header, histogram, summary and the event count
    void updateNavigation();
    void placeTagPanel(); // beside the event when there is room, else its own tab
    void reloadChart();
    void setEventInfo(const QString &text); // elided to the label's width, whole in the tooltip

    EventQueries *m_events;
    PageQueries *m_pages;
    GroupingQueries *m_grouping = nullptr;
    IssueHistogramQueries *m_histograms;
    SourceWorkspace *m_workspace = nullptr;
    IssueSummaryQueries *m_summaries = nullptr;
    std::optional<IssueRow> m_issue;
    IssueSummary m_summary;
    Event m_event;
    QByteArray m_rawJson;
    qint64 m_eventRowId = 0;
    qint64 m_eventTimestampMs = 0;
    int m_eventCount = 0;
    int m_eventNumber = 0;

    QStackedWidget *m_stack;
    QHBoxLayout *m_headerActions = nullptr;
    QLabel *m_placeholder;
    QLabel *m_title;
    QLabel *m_culprit;
    QLabel *m_facts;
    IssueHistogramView *m_histogram;
    QToolButton *m_oldest;
    QToolButton *m_previous;
    QToolButton *m_next;
    QToolButton *m_latest;
    QLabel *m_position;
    QLabel *m_eventInfo;
    QString m_eventInfoText;
    QScrollArea *m_scroll;
    EventView *m_eventView;
    QTabWidget *m_tabs;
    QWidget *m_eventTab;
    IssueEventsView *m_eventsView;
    TagDistributionView *m_tagView;
    QScrollArea *m_tagPanel; // m_tagView, scrolling
    QWidget *m_side; // holds m_tagPanel beside the tabs on wide panes
    GroupingView *m_groupingView;
    DetailSection *m_groupingSection;
};

} // namespace faultline
