// The detail's "Grouping" section on real events written through the writer:
// it names what counted (module-qualified type, frames with their line) and
// what was ignored and why, and hides for an event stored without a key.
// With FAULTLINE_SCREENSHOT_DIR set, saves it.
#include "detail_waits.h"
#include "screenshots.h"
#include "storage/issue_queries.h"
#include "storage/statement.h"
#include "storage/storage_gateway.h"
#include "ui/detail_section.h"
#include "ui/grouping_view.h"
#include "ui/issue_detail_view.h"
#include "ui_test_data.h"

#include <QApplication>
#include <QDateTime>
#include <QLabel>
#include <QScrollArea>

using namespace faultline;
using namespace faultline::test;

class TestGroupingView : public QObject {
    Q_OBJECT

private slots:
    void initTestCase()
    {
        QVERIFY(m_data.start());
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY(m_data.write({ fixtureIncoming(QStringLiteral("django_drf_validation_store"), now - 3'600'000),
                                 fixtureIncoming(QStringLiteral("pydantic_validation_store"), now - 60'000) },
            &m_outcomes));
        QString error;
        m_db = Database::open(m_data.path(), Database::Mode::ReadOnly, &error);
        QVERIFY(m_db);
        m_storage = std::make_unique<StorageGateway>(m_data.path());
    }

    void showsWhatCountedAndWhatNot()
    {
        IssueDetailView view(*m_storage);
        showIssue(view, m_outcomes.at(1).issueId);

        GroupingView *groupingView = view.groupingView();
        QVERIFY(groupingView->isVisibleTo(&view));
        const QString summary = groupingView->summaryText();
        QVERIFY2(
            summary.startsWith(QLatin1String("Grouped by: exception type `pydantic.error_wrappers.ValidationError`, "
                                             "frames `__main__.<module>` line `make_order(")),
            qPrintable(summary));
        QVERIFY2(
            summary.contains(QLatin1String("`__main__.make_order` line `return Order(**data)`")), qPrintable(summary));
        QVERIFY2(
            summary.contains(QLatin1String("ignored: 1 frame (not app code: installed package)")), qPrintable(summary));
        QVERIFY(summary.contains(QLatin1String("(the stack takes precedence)")));

        // The other issue explains itself with the other module.
        view.setIssue(*IssueQueries(*m_db).byId(m_outcomes.at(0).issueId));
        QVERIFY(detailSettled(view));
        QVERIFY2(groupingView->summaryText().startsWith(
                     QLatin1String("Grouped by: exception type `rest_framework.exceptions.ValidationError`")),
            qPrintable(groupingView->summaryText()));
        saveScreenshot(view, QStringLiteral("grouping_section"));
    }

    // With FAULTLINE_SCREENSHOT_DIR set: the pydantic issue scrolled to its
    // Grouping section, at 1000×700, in the light and a dark palette.
    void screenshots()
    {
        if (screenshotDir().isEmpty())
            QSKIP("FAULTLINE_SCREENSHOT_DIR is not set");
        shootLightAndDark([&](const ThemedShots &shots) {
            IssueDetailView view(*m_storage);
            showIssue(view, m_outcomes.at(1).issueId);
            QVERIFY(shots.save(QStringLiteral("grouping_pydantic_1000x700"), groupingShown(view)));
        });
    }

    void hiddenWithoutStoredKey()
    {
        IssueDetailView view(*m_storage);
        showIssue(view, m_outcomes.at(0).issueId);
        QVERIFY(view.groupingView()->isVisibleTo(&view));
        // As an event stored before keys were recorded: no key, no section.
        QString error;
        auto writable = Database::open(m_data.path(), Database::Mode::ReadWrite, &error);
        QVERIFY2(writable, qPrintable(error));
        Statement forget(
            writable->handle(), QStringLiteral("UPDATE events SET grouping_key_id = NULL WHERE issue_id = ?"));
        forget.bind(1, m_outcomes.at(0).issueId);
        QVERIFY2(!forget.step() && forget.error().isEmpty(), qPrintable(forget.error()));
        view.clear();
        showIssue(view, m_outcomes.at(0).issueId);
        QVERIFY(!view.groupingView()->isVisibleTo(&view));
        QVERIFY(view.groupingView()->summaryText().isEmpty());
    }

private:
    void showIssue(IssueDetailView &view, qint64 issueId)
    {
        view.resize(1000, 700);
        view.setIssue(*IssueQueries(*m_db).byId(issueId));
        view.show();
        QVERIFY(detailSettled(view));
    }

    void saveScreenshot(IssueDetailView &view, const QString &name)
    {
        if (const QString dir = screenshotDir(); !dir.isEmpty())
            QVERIFY(groupingShown(view).save(dir + QLatin1Char('/') + name + QStringLiteral("_1000x700.png")));
    }

    // The view scrolled to its Grouping section; empty when it has none.
    static QPixmap groupingShown(IssueDetailView &view)
    {
        auto *scroll = view.findChild<QScrollArea *>();
        if (!scroll)
            return {};
        scroll->ensureWidgetVisible(view.groupingView(), 0, 200);
        return view.grab();
    }

    UiTestDatabase m_data;
    QList<WriteOutcome> m_outcomes;
    std::unique_ptr<Database> m_db;
    std::unique_ptr<StorageGateway> m_storage;
};

QTEST_MAIN(TestGroupingView)
#include "tst_grouping_view.moc"
