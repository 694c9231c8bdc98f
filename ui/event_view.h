#pragma once
// Everything one event carries, as collapsible sections: the page its user
// saw, what the service answered and the validation errors, the exception
// chain and stack, message, breadcrumbs, tags, request, user, contexts, SDK,
// extra. Sections without data hide.
#include "model/event.h"
#include "storage/page_queries.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace faultline {

class BreadcrumbsPanel;
class BreadcrumbsView;
class DetailSection;
class EventPagesView;
class ExceptionView;
class HttpOutcomeView;
class KeyValueTable;
class RequestActions;
class RequestView;
class SourceWorkspace;
class ValidationTable;
class ValueTree;

class EventView : public QWidget {
    Q_OBJECT
public:
    explicit EventView(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    // The pages stored with the event (from storage, not in its JSON); call after setEvent.
    void setPages(const QList<EventPage> &pages);
    void clear();
    // Frames open in the editor and show blame; requests can be replayed. May be null.
    void setSourceWorkspace(SourceWorkspace *workspace);
    RequestActions *requestActions() const { return m_requestActions; }

    ExceptionView *exceptionView() const { return m_exception; }
    static constexpr qint64 kLargePageBytes = 16 * 1024; // "What the user saw" starts folded above this
    BreadcrumbsView *breadcrumbsView() const;
    BreadcrumbsPanel *breadcrumbsPanel() const { return m_breadcrumbs; }
    KeyValueTable *tagsTable() const { return m_tags; }
    ValueTree *extraTree() const { return m_extra; }
    DetailSection *breadcrumbsSection() const { return m_breadcrumbsSection; }
    EventPagesView *pagesView() const { return m_pages; }
    DetailSection *pagesSection() const { return m_pagesSection; }
    HttpOutcomeView *httpOutcomeView() const { return m_outcome; }
    DetailSection *outcomeSection() const { return m_outcomeSection; }
    ValidationTable *validationTable() const { return m_validation; }
    DetailSection *validationSection() const { return m_validationSection; }

    // For views of data beyond the event JSON (e.g. attached error pages): a section
    // after the built-in ones; the caller shows/hides it per event.
    DetailSection *addSection(const QString &title, QWidget *content);

signals:
    void tagClicked(const QString &key, const QString &value);

private:
    EventPagesView *m_pages;
    HttpOutcomeView *m_outcome;
    ValidationTable *m_validation;
    ExceptionView *m_exception;
    QLabel *m_message;
    BreadcrumbsPanel *m_breadcrumbs;
    KeyValueTable *m_tags;
    KeyValueTable *m_details;
    RequestView *m_request;
    RequestActions *m_requestActions;
    KeyValueTable *m_user;
    KeyValueTable *m_contexts;
    KeyValueTable *m_sdk;
    ValueTree *m_extra;
    QToolButton *m_rawToggle;
    QToolButton *m_copyTraceback;

    DetailSection *m_pagesSection;
    DetailSection *m_outcomeSection;
    DetailSection *m_validationSection;
    DetailSection *m_exceptionSection;
    DetailSection *m_messageSection;
    DetailSection *m_breadcrumbsSection;
    DetailSection *m_tagsSection;
    DetailSection *m_detailsSection;
    DetailSection *m_requestSection;
    DetailSection *m_userSection;
    DetailSection *m_contextsSection;
    DetailSection *m_sdkSection;
    DetailSection *m_extraSection;
};

} // namespace faultline
