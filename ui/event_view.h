#pragma once
// Everything one event carries, as collapsible sections: exception chain and
// stack, validation errors / HTTP outcome, message, breadcrumbs, tags,
// request, user, contexts, SDK, extra. Sections without data hide.
#include "model/event.h"

#include <QWidget>

class QLabel;
class QToolButton;

namespace faultline {

class BreadcrumbsView;
class DetailSection;
class ExceptionView;
class KeyValueTable;
class RequestView;
class ValidationView;

class EventView : public QWidget {
    Q_OBJECT
public:
    explicit EventView(QWidget *parent = nullptr);

    void setEvent(const Event &event);
    void clear();

    ExceptionView *exceptionView() const { return m_exception; }
    BreadcrumbsView *breadcrumbsView() const { return m_breadcrumbs; }
    KeyValueTable *tagsTable() const { return m_tags; }
    DetailSection *breadcrumbsSection() const { return m_breadcrumbsSection; }

    // For views of data beyond the event JSON (e.g. attached error pages): a section
    // after the built-in ones; the caller shows/hides it per event.
    DetailSection *addSection(const QString &title, QWidget *content);

signals:
    void tagClicked(const QString &key, const QString &value);

private:
    ExceptionView *m_exception;
    ValidationView *m_validation;
    QLabel *m_message;
    BreadcrumbsView *m_breadcrumbs;
    KeyValueTable *m_tags;
    KeyValueTable *m_details;
    RequestView *m_request;
    KeyValueTable *m_user;
    KeyValueTable *m_contexts;
    KeyValueTable *m_sdk;
    KeyValueTable *m_extra;
    QToolButton *m_rawToggle;
    QToolButton *m_copyTraceback;

    DetailSection *m_exceptionSection;
    DetailSection *m_validationSection;
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
