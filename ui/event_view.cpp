#include "ui/event_view.h"
#include "ui/triage/plural.h"

#include "ui/breadcrumbs_view.h"
#include "ui/detail_section.h"
#include "ui/event_pages_view.h"
#include "ui/exception_view.h"
#include "ui/http_outcome_view.h"
#include "ui/key_value_table.h"
#include "ui/request_actions.h"
#include "ui/request_view.h"
#include "ui/triage/relative_time.h"
#include "ui/validation_table.h"
#include "ui/value_tree.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QJsonArray>
#include <QLabel>
#include <QToolButton>
#include <QVBoxLayout>

namespace faultline {

namespace {

// contexts: {"runtime": {"name": "CPython", …}, …} → "runtime.name" rows, so one table holds them all.
QList<QPair<QString, QString>> flattenContexts(const QJsonObject &contexts)
{
    QList<QPair<QString, QString>> pairs;
    for (auto it = contexts.begin(); it != contexts.end(); ++it) {
        if (!it.value().isObject()) {
            pairs.append({ it.key(), KeyValueTable::displayValue(it.value()) });
            continue;
        }
        const QJsonObject context = it.value().toObject();
        for (auto field = context.begin(); field != context.end(); ++field) {
            if (field.key() == QLatin1String("type"))
                continue;
            pairs.append({ it.key() + QLatin1Char('.') + field.key(), KeyValueTable::displayValue(field.value()) });
        }
    }
    return pairs;
}

QList<QPair<QString, QString>> sdkPairs(const QJsonObject &sdk)
{
    QList<QPair<QString, QString>> pairs;
    if (sdk.contains(QLatin1String("name")))
        pairs.append({ QStringLiteral("name"), sdk.value(QLatin1String("name")).toString() });
    if (sdk.contains(QLatin1String("version")))
        pairs.append({ QStringLiteral("version"), sdk.value(QLatin1String("version")).toString() });
    QStringList integrations;
    for (const QJsonValue &integration : sdk.value(QLatin1String("integrations")).toArray())
        integrations.append(integration.toString());
    if (!integrations.isEmpty())
        pairs.append({ QStringLiteral("integrations"), integrations.join(QStringLiteral(", ")) });
    QStringList packages;
    for (const QJsonValue &package : sdk.value(QLatin1String("packages")).toArray()) {
        const QJsonObject object = package.toObject();
        packages.append(object.value(QLatin1String("name")).toString() + QLatin1Char('@')
            + object.value(QLatin1String("version")).toString());
    }
    if (!packages.isEmpty())
        pairs.append({ QStringLiteral("packages"), packages.join(QStringLiteral(", ")) });
    return pairs;
}

} // namespace

EventView::EventView(QWidget *parent)
    : QWidget(parent)
    , m_pages(new EventPagesView(this))
    , m_outcome(new HttpOutcomeView(this))
    , m_validation(new ValidationTable(this))
    , m_exception(new ExceptionView(this))
    , m_message(new QLabel(this))
    , m_breadcrumbs(new BreadcrumbsPanel(this))
    , m_tags(new KeyValueTable(this))
    , m_details(new KeyValueTable(this))
    , m_request(new RequestView(this))
    , m_requestActions(new RequestActions(this))
    , m_user(new KeyValueTable(this))
    , m_contexts(new KeyValueTable(this))
    , m_sdk(new KeyValueTable(this))
    , m_extra(new ValueTree(tr("Key"), this))
    , m_rawToggle(new QToolButton(this))
    , m_copyTraceback(new QToolButton(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);

    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_message->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_tags->setObjectName(QStringLiteral("tagsTable"));
    m_tags->setToolTip(tr("Click a tag to add it to the search"));
    m_tags->setCursor(Qt::PointingHandCursor);

    // Why the request failed, as its client experienced it, comes first.
    m_outcomeSection = addSection(tr("Response"), m_outcome);
    m_validationSection = addSection(tr("Validation errors"), m_validation);
    m_exceptionSection = addSection(tr("Exception"), m_exception);
    m_rawToggle->setText(tr("Raw"));
    m_rawToggle->setCheckable(true);
    m_rawToggle->setToolTip(tr("Show the traceback as the runtime prints it"));
    m_copyTraceback->setText(tr("Copy"));
    m_copyTraceback->setToolTip(tr("Copy the traceback as text"));
    m_exceptionSection->addHeaderWidget(m_rawToggle);
    m_exceptionSection->addHeaderWidget(m_copyTraceback);
    // The page the user saw, right after the exception it came with (or first, without one).
    m_pagesSection = addSection(tr("What the user saw"), m_pages);
    m_messageSection = addSection(tr("Message"), m_message);
    m_breadcrumbsSection = addSection(tr("Breadcrumbs"), m_breadcrumbs);
    m_tagsSection = addSection(tr("Tags"), m_tags);
    m_detailsSection = addSection(tr("Event"), m_details);
    m_requestSection = addSection(tr("Request"), m_request);
    m_requestSection->addHeaderWidget(m_requestActions);
    m_userSection = addSection(tr("User"), m_user);
    m_contextsSection = addSection(tr("Contexts"), m_contexts);
    m_sdkSection = addSection(tr("SDK"), m_sdk);
    m_extraSection = addSection(tr("Extra"), m_extra);
    m_extraSection->setExpanded(false); // often the whole environment: open on demand
    layout->addStretch(1);

    connect(m_rawToggle, &QToolButton::toggled, m_exception, &ExceptionView::setRaw);
    connect(m_copyTraceback, &QToolButton::clicked, this,
        [this]() { QApplication::clipboard()->setText(m_exception->rawText()); });
    connect(m_tags, &KeyValueTable::pairActivated, this, &EventView::tagClicked);
}

BreadcrumbsView *EventView::breadcrumbsView() const { return m_breadcrumbs->table(); }

DetailSection *EventView::addSection(const QString &title, QWidget *content)
{
    auto *section = new DetailSection(title, this);
    section->setContent(content);
    auto *box = static_cast<QVBoxLayout *>(layout());
    // Before the trailing stretch, once it exists.
    const int stretch
        = box->count() > 0 && box->itemAt(box->count() - 1)->spacerItem() ? box->count() - 1 : box->count();
    box->insertWidget(stretch, section);
    return section;
}

void EventView::clear()
{
    setEvent(Event {});
    for (DetailSection *section : findChildren<DetailSection *>())
        section->hide();
}

void EventView::setSourceWorkspace(SourceWorkspace *workspace)
{
    m_exception->setSourceWorkspace(workspace);
    m_requestActions->setSourceWorkspace(workspace);
}

void EventView::setPages(const QList<EventPage> &pages)
{
    m_pagesSection->setVisible(m_pages->setPages(pages));
    // A big page (Django's debug page) would push everything after the exception out of
    // sight: it starts folded when there is an exception to read first.
    qint64 largest = 0;
    for (const EventPage &page : pages)
        largest = std::max(largest, page.size);
    const bool fold = largest > kLargePageBytes && !m_exception->isEmpty();
    m_pagesSection->setExpanded(!fold);
    QString subtitle = pages.size() > 1 ? tr("%1 pages").arg(pages.size()) : QString();
    if (fold)
        subtitle = (subtitle.isEmpty() ? QString() : subtitle + QStringLiteral(", "))
            + tr("%1 KB, folded").arg((largest + 1023) / 1024);
    m_pagesSection->setSubtitle(subtitle);
}

void EventView::setEvent(const Event &event)
{
    m_exception->setEvent(event);
    m_exceptionSection->setVisible(!m_exception->isEmpty());
    m_exceptionSection->setSubtitle(
        event.exceptions.size() > 1 ? tr("%1 chained").arg(event.exceptions.size()) : QString());

    m_outcomeSection->setVisible(m_outcome->setOutcome(event.http));
    m_validation->setIssues(event.validationErrors);
    m_validationSection->setVisible(!event.validationErrors.isEmpty());
    m_validationSection->setSubtitle(countText(event.validationErrors.size(), "%1 field", "%1 fields"));
    setPages({}); // pages come from storage: the caller adds them

    const QString message = event.message.isEmpty() ? event.messageTemplate : event.message;
    m_message->setText(message);
    // The exception value usually repeats the message; show it separately only when it adds something.
    const ExceptionValue *primary = event.primaryException();
    m_messageSection->setVisible(!message.isEmpty() && (!primary || primary->value != message));

    m_breadcrumbs->setBreadcrumbs(event.breadcrumbs);
    m_breadcrumbsSection->setVisible(!event.breadcrumbs.isEmpty());
    m_breadcrumbsSection->setSubtitle(
        countText(event.breadcrumbs.size(), "%1 entry, newest first", "%1 entries, newest first"));

    m_tags->setPairs(event.tags);
    m_tagsSection->setVisible(!event.tags.isEmpty());

    QList<QPair<QString, QString>> details;
    auto addDetail = [&details](const QString &key, const QString &value) {
        if (!value.isEmpty())
            details.append({ key, value });
    };
    addDetail(tr("event id"), event.eventId);
    addDetail(tr("time"), event.timestamp > 0 ? absoluteTime(qint64(event.timestamp * 1000)) : QString());
    addDetail(tr("level"), event.level);
    addDetail(tr("platform"), event.platform);
    addDetail(tr("environment"), event.environment);
    addDetail(tr("release"), event.release);
    addDetail(tr("server"), event.serverName);
    addDetail(tr("transaction"), event.transaction);
    addDetail(tr("logger"), event.logger);
    addDetail(tr("fingerprint"), event.fingerprint.join(QStringLiteral(", ")));
    m_details->setPairs(details);
    m_detailsSection->setVisible(!details.isEmpty());

    m_requestSection->setVisible(m_request->setRequest(event.raw.value(QLatin1String("request")).toObject()));
    m_requestActions->setEvent(event);
    const QJsonObject user = event.raw.value(QLatin1String("user")).toObject();
    m_user->setObject(user);
    m_userSection->setVisible(!user.isEmpty());
    const auto contexts = flattenContexts(event.raw.value(QLatin1String("contexts")).toObject());
    m_contexts->setPairs(contexts);
    m_contextsSection->setVisible(!contexts.isEmpty());
    const auto sdk = sdkPairs(event.raw.value(QLatin1String("sdk")).toObject());
    m_sdk->setPairs(sdk);
    m_sdkSection->setVisible(!sdk.isEmpty());
    const QJsonObject extra = event.raw.value(QLatin1String("extra")).toObject();
    m_extra->setObject(
        extra, event.raw.value(QLatin1String("_meta")).toObject().value(QLatin1String("extra")).toObject());
    m_extraSection->setVisible(!extra.isEmpty());
}

} // namespace faultline
