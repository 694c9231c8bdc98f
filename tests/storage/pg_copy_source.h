#pragma once
// A solo SQLite database as a user's would be after a while, for the tests of
// `faultline db copy` (#18): captured SDK events of two projects over two
// months written through the real EventWriter (one with an error page
// attached), a resolved and an ignored issue, a merge rule, an alert rule and
// a delivery, limits, source roots, refusals and SDK-reported drops.
#include "storage/alert_store.h"
#include "storage/app_state.h"
#include "storage/dropped_events.h"
#include "storage/grouping_rules.h"
#include "storage/issue_status.h"
#include "storage/project_settings.h"
#include "storage/project_store.h"
#include "storage/project_tools.h"
#include "storage_test_helpers.h"
#include "support/example_pages.h"

namespace faultline::test {

constexpr qint64 kCopyOctober = 1'790'000'000'000; // 2026-09-21… (UTC), a month before November's
constexpr qint64 kCopyNovember = 1'793'000'000'000; // 2026-10-26…
constexpr qint64 kCopyNow = 1'795'000'000'000;

// The issue ids of event outcomes, first seen order, without repeats.
inline QList<qint64> distinctIssues(const QList<WriteOutcome> &outcomes)
{
    QList<qint64> issues;
    for (const WriteOutcome &outcome : outcomes)
        if (!issues.contains(outcome.issueId))
            issues.append(outcome.issueId);
    return issues;
}

// Builds it at `path`; `moreEvents` message events besides the fixtures (in
// seven issues, with tags and releases). False (with a warning) when a step failed.
inline bool buildCopySource(const QString &path, int moreEvents)
{
    qint64 shop = 0;
    {
        auto db = openOrFail(path);
        auto added = db ? ProjectStore(*db).add(QStringLiteral("shop")) : StorageResult<Project>(StorageError {});
        if (!added)
            return false;
        shop = added->id;
    }
    QList<IncomingEvent> events;
    const QStringList fixtures { QStringLiteral("python_exception_store"), QStringLiteral("go_exception_store"),
        QStringLiteral("browser_exception_store"), QStringLiteral("django_request_store"),
        QStringLiteral("python_rich_event_store") };
    for (const QString &fixture : fixtures) {
        events.append(preparedFixture(fixture, kCopyOctober + events.size() * 1000, 1));
        events.append(preparedFixture(fixture, kCopyNovember + events.size() * 1000, shop));
    }
    Attachment page { QStringLiteral("500.html"), QStringLiteral("text/html"), QStringLiteral("event.attachment"),
        exampleServicePage(QStringLiteral("500.html")) };
    events[1].attachments.append(IncomingEvent::prepareAttachment(page, 0));
    for (int i = 0; i < moreEvents; ++i)
        events.append(makeEvent(QStringLiteral("more-%1").arg(i), QStringLiteral("more-fp-%1").arg(i % 7),
            QStringLiteral("Timeout talking to payments %1").arg(i % 7), (i % 2 ? kCopyNovember : kCopyOctober) + i,
            i % 3 ? 1 : shop, [i](QJsonObject &json) {
                json.insert(QStringLiteral("release"), QStringLiteral("shop@1.%1").arg(i % 4));
                json.insert(QStringLiteral("tags"), QJsonObject { { QStringLiteral("region"), i % 2 ? "eu" : "us" } });
            }));
    QList<WriteOutcome> outcomes;
    {
        EventWriter writer(path);
        QString error;
        if (!writer.start(&error)) {
            qWarning() << "writer did not start:" << error;
            return false;
        }
        outcomes = writeAndWait(writer, events).value_or(QList<WriteOutcome> {});
        writer.recordDiscarded(1, QStringLiteral("ratelimit_backoff"), QStringLiteral("error"), 3);
    }
    const QList<qint64> issues = distinctIssues(outcomes);
    if (outcomes.size() != events.size() || issues.size() < 8) {
        qWarning() << "the source did not take every event:" << outcomes.size() << issues.size();
        return false;
    }

    auto db = openOrFail(path);
    if (!db)
        return false;
    QString error;
    IssueStatusWriter statuses(*db);
    bool ok = statuses.apply({ issues[0] }, StatusChange { IssueStatus::Resolved, StatusChange::Until::NextRelease },
                  kCopyNow, nullptr, &error)
            == 1
        && statuses.apply({ issues[1] }, StatusChange { IssueStatus::Ignored, StatusChange::Until::Events, 0, 10 },
               kCopyNow, nullptr, &error)
            == 1;
    ok = ok && GroupingRules(*db).merge({ issues[2], issues[4] }, 0, kCopyNow, &error).has_value();
    AlertRule rule;
    rule.projectId = 1;
    rule.name = QStringLiteral("payments team");
    rule.target = QStringLiteral("https://hooks.example.com/payments");
    SqliteAlertStore alerts(*db);
    const qint64 ruleId = alerts.saveRule(rule, &error);
    ok = ok && ruleId > 0
        && alerts.addDelivery(AlertDelivery { 0, ruleId, issues[3], {}, QStringLiteral("webhook"),
               AlertTrigger::NewIssue, QStringLiteral("new issue"), kCopyNow, kCopyNow, DeliveryState::Sent, 1,
               QStringLiteral("HTTP 200") })
            > 0;
    ok = ok
        && alerts.setSmtpServer(
            SmtpServer { QStringLiteral("smtp.example.com"), 587, SmtpSecurity::StartTls, QStringLiteral("ann"),
                QStringLiteral("smtp-secret"), QStringLiteral("faultline@example.com"), {} },
            &error);
    ProjectSettings limits = ProjectSettings::defaults(shop);
    limits.maxAgeDays = 45;
    ok = ok && ProjectSettingsStore(*db).set(limits).ok();
    ProjectToolsStore tools(*db);
    ok = ok
        && tools.setSourceRoots(
            shop, { SourceRoot { QStringLiteral("/srv/shop/"), QStringLiteral("/home/ann/src/shop") } }, &error)
        && tools.setReplayBaseUrl(shop, QStringLiteral("http://localhost:8000"), &error);
    ok = ok && writeAppState(*db, kNotificationRulesKey, QStringLiteral("{\"newIssues\":true}"), &error)
        && writeAppState(*db, kCollectorAddressKey, QStringLiteral("127.0.0.1:8960"), &error);
    DropRecord refused { shop, QStringLiteral("too_large"), 2,
        DropExample { kCopyNow, 413, 5'000'000, QStringLiteral("10.0.0.7:51234"),
            QStringLiteral("POST /api/2/envelope/"), QByteArray("\x1f\x8b\x08"), QStringLiteral("too large") } };
    ok = ok && DroppedEventsStore(*db).addRefusals({ refused }, kCopyNow, &error);
    if (!ok)
        qWarning() << "building the copy source failed:" << error;
    return ok;
}

} // namespace faultline::test
