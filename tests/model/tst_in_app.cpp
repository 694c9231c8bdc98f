// notAppCodeReason: which paths are never the application's code, whatever the
// SDK's in_app says. Grouping v2's keys depend on it, so its answers are
// pinned here path by path, the odd spellings included (case, Windows
// separators, characters that case-fold to ASCII letters).
#include "model/in_app.h"

#include <QTest>

using namespace faultline;

class TestInApp : public QObject {
    Q_OBJECT

private slots:
    void reasons_data()
    {
        QTest::addColumn<QString>("absPath");
        QTest::addColumn<QString>("filename");
        QTest::addColumn<QString>("reason"); // "" = app code (the frame says in_app)

        const QString installed = QStringLiteral("installed package");
        const QString stdlib = QStringLiteral("Python standard library");
        const QString node = QStringLiteral("Node.js internals");
        const QString nodeModules = QStringLiteral("installed package (node_modules)");
        const QString extension = QStringLiteral("browser extension");

        QTest::newRow("app") << "/srv/app/views.py"
                             << "app/views.py" << QString();
        QTest::newRow("empty") << QString() << QString() << QString();
        QTest::newRow("site-packages") << "/venv/lib/python3.11/site-packages/django/core/handlers/base.py"
                                       << "django/core/handlers/base.py" << installed;
        QTest::newRow("dist-packages, upper case") << "/usr/lib/python3/DIST-PACKAGES/x.py" << QString() << installed;
        QTest::newRow("Windows site-packages") << "C:\\Python311\\Lib\\Site-Packages\\x.py" << QString() << installed;
        // U+017F (long s) and U+212A (Kelvin sign) case-fold to "s" and "k"
        QTest::newRow("long s") << QString::fromUtf16(u"/srv/\u017Fite-packages/x.py") << QString() << installed;
        QTest::newRow("Kelvin sign") << QString::fromUtf16(u"/srv/dist-pac\u212Aages/x.py") << QString() << installed;
        QTest::newRow("other non-ASCII") << QString::fromUtf16(u"/srv/\u00e9t\u00e9/site_packages/x.py") << QString()
                                         << QString();
        QTest::newRow("stdlib") << "/usr/lib/python3.11/json/decoder.py"
                                << "json/decoder.py" << stdlib;
        QTest::newRow("stdlib, major only") << "/opt/lib/python3/x.py" << QString() << stdlib;
        QTest::newRow("stdlib, upper case") << "/OPT/VENV/LIB/PYTHON3.12/logging/__init__.py" << QString() << stdlib;
        QTest::newRow("stdlib, no version") << "/opt/lib/python/x.py" << QString() << QString();
        QTest::newRow("stdlib, dot without minor") << "/opt/lib/python3./x.py" << QString() << QString();
        QTest::newRow("stdlib, second match") << "/lib/pythonx/lib/python3.9/x.py" << QString() << stdlib;
        QTest::newRow("Windows stdlib") << "C:\\Python311\\Lib\\json\\decoder.py" << QString() << stdlib;
        QTest::newRow("Windows stdlib, other dir") << "C:\\Python311\\Scripts\\x.py" << QString() << QString();
        QTest::newRow("frozen") << "<frozen importlib._bootstrap>" << QString() << stdlib;
        QTest::newRow("frozen, upper case") << "<FROZEN importlib._bootstrap>" << QString() << QString();
        QTest::newRow("node:") << QString() << "node:internal/process/task_queues" << node;
        QTest::newRow("internal/") << QString() << "internal/modules/cjs/loader.js" << node;
        QTest::newRow("Internal/") << QString() << "Internal/modules/x.js" << QString();
        QTest::newRow("node_modules") << "/srv/app/node_modules/express/index.js" << QString() << nodeModules;
        QTest::newRow("Windows node_modules") << "C:\\app\\node_modules\\x.js" << QString() << nodeModules;
        QTest::newRow("NODE_MODULES") << "/srv/app/NODE_MODULES/x.js" << QString() << QString();
        QTest::newRow("chrome extension") << QString() << "chrome-extension://abc/content.js" << extension;
        QTest::newRow("Safari web extension") << QString() << "Safari-Web-Extension://abc/x.js" << extension;
        QTest::newRow("path decides, then filename") << "/srv/app/x.py"
                                                     << "/usr/lib/python3.9/x.py" << stdlib;
        QTest::newRow("path's reason first") << "/srv/node_modules/x.js"
                                             << "node:x" << nodeModules;
    }

    void reasons()
    {
        QFETCH(QString, absPath);
        QFETCH(QString, filename);
        QFETCH(QString, reason);
        Frame frame;
        frame.absPath = absPath;
        frame.filename = filename;
        frame.inApp = true;
        QCOMPARE(notAppCodeReason(frame), reason);
        QCOMPARE(isInApp(frame), reason.isEmpty());
        frame.inApp = false;
        QCOMPARE(
            notAppCodeReason(frame), reason.isEmpty() ? QStringLiteral("not marked as app code by the SDK") : reason);
        frame.inApp.reset();
        QVERIFY(!isInApp(frame));
    }
};

QTEST_GUILESS_MAIN(TestInApp)
#include "tst_in_app.moc"
