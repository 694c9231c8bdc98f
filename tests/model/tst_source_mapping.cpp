// Source roots: mapping frame paths to a checkout, and guessing the mapping
// from the frames of captured events and a checkout's file list.
#include "model/event_parser.h"
#include "model/source_mapping.h"
#include "support/fixtures.h"

#include <QDir>
#include <QTest>

using namespace faultline;

namespace {

QStringList framePathsOf(const QStringList &fixtures)
{
    QStringList paths;
    for (const QString &fixture : fixtures) {
        const auto event = parseEventJson(test::readFixture(fixture));
        if (!event)
            continue;
        for (const ExceptionValue &exception : event->exceptions)
            for (const Frame &frame : exception.frames)
                paths.append(frameSourcePath(frame));
    }
    return paths;
}

} // namespace

class TestSourceMapping : public QObject {
    Q_OBJECT
private slots:
    void mapsUnderTheLongestPrefix()
    {
        const QList<SourceRoot> roots = { { QStringLiteral("/srv/app/"), QStringLiteral("/home/ann/shop") },
            { QStringLiteral("/srv/app/vendor"), QStringLiteral("/home/ann/vendor") } };
        QCOMPARE(mapToLocal(roots, QStringLiteral("/srv/app/shop/views.py")),
            QStringLiteral("/home/ann/shop/shop/views.py"));
        QCOMPARE(
            mapToLocal(roots, QStringLiteral("/srv/app/vendor/lib.py")), QStringLiteral("/home/ann/vendor/lib.py"));
        QCOMPARE(mapToLocal(roots, QStringLiteral("/srv/other/x.py")), QString());
        // "/srv/application" is not under "/srv/app/".
        QCOMPARE(mapToLocal(roots, QStringLiteral("/srv/application/x.py")), QString());
    }

    void refusesToLeaveTheRoot()
    {
        const QList<SourceRoot> roots = { { QStringLiteral("/srv/app"), QStringLiteral("/home/ann/shop") } };
        QCOMPARE(mapToLocal(roots, QStringLiteral("/srv/app/../../etc/passwd")), QString());
    }

    void expandsHome()
    {
        const QList<SourceRoot> roots = { { QStringLiteral("/srv/app/"), QStringLiteral("~/src/shop") } };
        QCOMPARE(
            mapToLocal(roots, QStringLiteral("/srv/app/a.py")), QDir::homePath() + QStringLiteral("/src/shop/a.py"));
    }

    void stripsFileUrls()
    {
        Frame frame;
        frame.absPath = QStringLiteral("file:///app/src/index.js");
        QCOMPARE(frameSourcePath(frame), QStringLiteral("/app/src/index.js"));
        frame.absPath.clear();
        frame.filename = QStringLiteral("shop/views.py");
        QCOMPARE(frameSourcePath(frame), QStringLiteral("shop/views.py"));
    }

    void guessesFromCapturedFrames()
    {
        // Frames of the captured Django service are under /srv/example/django/; the user's checkout keeps
        // the same django/ folder one level deeper, below "service/": the shared suffix is django/app.py.
        const QStringList paths = framePathsOf(
            { QStringLiteral("django_request_store.json"), QStringLiteral("django_drf_validation_store.json") });
        QVERIFY(paths.contains(QStringLiteral("/srv/example/django/app.py")));
        const QStringList checkout = { QStringLiteral("README.md"), QStringLiteral("service/django/app.py"),
            QStringLiteral("service/django/settings.py"), QStringLiteral("tests/test_app.py") };
        const auto guess = guessSourceRoot(paths, checkout, QStringLiteral("/home/ann/shop"));
        QVERIFY(guess);
        QCOMPARE(guess->root.remotePrefix, QStringLiteral("/srv/example/"));
        QCOMPARE(guess->root.localRoot, QStringLiteral("/home/ann/shop/service"));
        QCOMPARE(guess->matchedPaths, 1);
        // Django's own frames (dist-packages) are never proposed, nor counted.
        QCOMPARE(guess->consideredPaths, 1);
        QCOMPARE(guess->examples,
            QStringList { QStringLiteral("/srv/example/django/app.py → /home/ann/shop/service/django/app.py") });
        QCOMPARE(mapToLocal({ guess->root }, QStringLiteral("/srv/example/django/app.py")),
            QStringLiteral("/home/ann/shop/service/django/app.py"));
    }

    void prefersTheMappingMostFramesAgreeOn()
    {
        const QStringList frames
            = { QStringLiteral("/srv/app/shop/views.py"), QStringLiteral("/srv/app/shop/models.py"),
                  QStringLiteral("/srv/app/shop/urls.py"), QStringLiteral("/opt/tools/shop/urls.py") };
        const QStringList checkout
            = { QStringLiteral("shop/views.py"), QStringLiteral("shop/models.py"), QStringLiteral("shop/urls.py") };
        const auto guess = guessSourceRoot(frames, checkout, QStringLiteral("/home/ann/shop/"));
        QVERIFY(guess);
        QCOMPARE(guess->root, (SourceRoot { QStringLiteral("/srv/app/"), QStringLiteral("/home/ann/shop") }));
        QCOMPARE(guess->matchedPaths, 3);
        QCOMPARE(guess->consideredPaths, 4);
    }

    void aFileNameAloneIsNoEvidence()
    {
        // Every project has an __init__.py: a single shared component must not produce a mapping.
        const QStringList frames = { QStringLiteral("/srv/app/orders/__init__.py") };
        const QStringList checkout = { QStringLiteral("billing/__init__.py") };
        QVERIFY(!guessSourceRoot(frames, checkout, QStringLiteral("/home/ann/x")));
        // …unless the checkout has it at the top, where the file name is the whole relative path.
        const auto top = guessSourceRoot(
            { QStringLiteral("/srv/app/manage.py") }, { QStringLiteral("manage.py") }, QStringLiteral("/home/ann/x"));
        QVERIFY(top);
        QCOMPARE(top->root, (SourceRoot { QStringLiteral("/srv/app/"), QStringLiteral("/home/ann/x") }));
    }
};

QTEST_GUILESS_MAIN(TestSourceMapping)
#include "tst_source_mapping.moc"
