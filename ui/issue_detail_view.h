#pragma once
// The right-hand pane: the open issue's header (title, culprit, level,
// status, counts, first/last seen, its events over time, the releases and
// environments it was seen in), navigation through its events
// ("event N of M", counted from the oldest), and the event itself.
//
// Everything it shows is read on the storage gateway's reader through the
// backend-neutral readers (SQLite or PostgreSQL) as plain values
// (ui/triage/issue_detail_snapshot.h), and shown
// when it arrives: an update keeps what is on screen until then, and an
// answer for an issue or event the user has left meanwhile is dropped.
#include "ui/triage/issue_detail_snapshot.h"

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
class EventView;
class IssueEventsView;
class GroupingView;
class IssueHistogramView;
class SourceWorkspace;
class StorageGateway;
class TagDistributionView;

class IssueDetailView : public QWidget {
    Q_OBJECT
public:
    // `storage` must outlive the view.
    explicit IssueDetailView(StorageGateway &storage, QWidget *parent = nullptr);

    // A read of the open issue, its event or its events' page is on its way (see loaded()).
    bool isLoading() const;

    // Frames open in the editor, requests replay; follows the open issue's project. May be null.
    void setSourceWorkspace(SourceWorkspace *workspace);
    GroupingView *groupingView() const { return m_groupingView; }

    // Opens an issue at its latest event; its header shows at once, the rest when read.
    void setIssue(const IssueRow &issue);
    // New events or a status change: re-reads header and count, keeps the event on screen.
    void updateIssue(const IssueRow &issue);
    void applyUpdate(const IssueActivity &activity); // updateIssue() with the reads done; other issues are ignored
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
    // Opens two of the issue's events side by side (EventCompareDialog) once both are read; the
    // Events tab says so when one cannot be.
    void compareEvents(const QString &olderEventId, const QString &newerEventId);

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
    void eventShown(int number, int count); // its read arrived and shows (or says why it cannot)
    void loaded(); // isLoading() turned false

protected:
    void resizeEvent(QResizeEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void showActivity(const IssueActivity &activity); // header, histogram, summary and the event count
    void showFacts(const IssueRow &issue, const QString &error); // the line under the title
    void showSnapshot(const EventSnapshot &snapshot);
    void requestActivity(const IssueRow &issue);
    void requestEvent(const EventTarget &target);
    // Runs `work` on the gateway's reader; `apply` gets its answer unless `generation` moved on.
    template<typename Work, typename Apply> void read(quint64 &generation, Work work, Apply apply);
    void readFinished();
    void updateNavigation();
    void placeTagPanel(); // beside the event when there is room, else its own tab
    void reloadChart();
    // Elided to the label's width; on hover `toolTip`, or the whole text when it was elided.
    void setEventInfo(const QString &text, const QString &toolTip = {});

    StorageGateway &m_storage;
    SourceWorkspace *m_workspace = nullptr;
    std::optional<IssueRow> m_issue;
    IssueSummary m_summary;
    Event m_event;
    QByteArray m_rawJson;
    qint64 m_eventRowId = 0;
    qint64 m_eventTimestampMs = 0;
    int m_eventCount = 0;
    int m_eventNumber = 0; // the one asked for, shown once its read arrives
    int m_shownNumber = 0; // the one on screen
    qint64 m_eventIssueId = 0; // whose it is
    // Each kind of read counts its requests: an answer to an older one is dropped.
    quint64 m_activityGeneration = 0;
    quint64 m_eventGeneration = 0;
    quint64 m_chartGeneration = 0;
    quint64 m_compareGeneration = 0;
    bool m_eventRequested = false; // an event read for the open issue is on its way
    int m_readsInFlight = 0;

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
    QString m_eventInfoToolTip;
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
