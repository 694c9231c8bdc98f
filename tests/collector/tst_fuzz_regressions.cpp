// Inputs the fuzzers (fuzz/, scripts/fuzz) once broke a parser with, kept in
// tests/fuzz_regressions/<target>/. Every file goes to every parser of untrusted
// input, whichever target found it: each must answer with a value that keeps its
// promises or with errors a person can read (fuzz/parser_outcomes.h), never crash.
// Runs under the sanitizers too (scripts/test-sanitizers).
#include "fuzz/parser_outcomes.h"

#include <QDirIterator>
#include <QFile>
#include <QTest>

using namespace faultline;

namespace {

QString regressionsDir() { return QStringLiteral(FAULTLINE_TESTS_DIR "/fuzz_regressions"); }

QByteArray readInput()
{
    QFETCH(QString, path);
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(path));
    return file.readAll();
}

} // namespace

class TestFuzzRegressions : public QObject {
    Q_OBJECT

private slots:
    void everyTargetHasInputs();
    void envelope_data() { addInputs(); }
    void envelope();
    void event_data() { addInputs(); }
    void event();
    void contentDecoder_data() { addInputs(); }
    void contentDecoder();
    void query_data() { addInputs(); }
    void query();

private:
    static void addInputs();
};

void TestFuzzRegressions::addInputs()
{
    QTest::addColumn<QString>("path");
    const QDir root(regressionsDir());
    QDirIterator it(regressionsDir(), QDir::Files, QDirIterator::Subdirectories);
    QStringList paths;
    while (it.hasNext())
        paths << it.next();
    paths.sort();
    for (const QString &path : std::as_const(paths)) {
        if (path.endsWith(QLatin1String(".md")))
            continue;
        QTest::newRow(qPrintable(root.relativeFilePath(path))) << path;
    }
}

// A target with a directory but no inputs would make its rows vanish silently.
void TestFuzzRegressions::everyTargetHasInputs()
{
    const QDir root(regressionsDir());
    QVERIFY2(root.exists(), qPrintable(root.path()));
    const QStringList targets = root.entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    QVERIFY(!targets.isEmpty());
    for (const QString &target : targets)
        QVERIFY2(!QDir(root.filePath(target)).entryList(QDir::Files).isEmpty(), qPrintable(target));
}

void TestFuzzRegressions::envelope()
{
    const QByteArray body = readInput();
    const EnvelopeLimits limits;
    const Result<Envelope> envelope = parseEnvelope(body, limits);
    const QString problem = fuzz::checkEnvelope(body, envelope, limits);
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
    if (!envelope.ok())
        return;
    for (const EnvelopeItem &item : envelope->items) {
        if (item.type != QLatin1String("event"))
            continue;
        const Result<Event> event = parseEventJson(item.payload);
        QString itemProblem = fuzz::checkEvent(event);
        if (itemProblem.isEmpty() && event.ok())
            itemProblem = fuzz::checkEventIntake(item.payload, event.value());
        QVERIFY2(itemProblem.isEmpty(), qPrintable(itemProblem));
    }
}

void TestFuzzRegressions::event()
{
    const QByteArray input = readInput();
    const Result<Event> event = parseEventJson(input);
    QString problem = fuzz::checkEvent(event);
    if (problem.isEmpty())
        problem = fuzz::checkReadsWhatQtReads(input, event);
    if (problem.isEmpty() && event.ok())
        problem = fuzz::checkEventIntake(input, event.value());
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

void TestFuzzRegressions::contentDecoder()
{
    const QByteArray input = readInput();
    // As fuzz_content_decoder reads it: the first byte picks the encoding.
    if (!input.isEmpty()) {
        const QByteArray encoding = fuzz::encodingForSelector(static_cast<unsigned char>(input.at(0)));
        const QString problem
            = fuzz::checkDecode(decodeContent(input.mid(1), encoding, fuzz::kDecodeLimit), fuzz::kDecodeLimit);
        QVERIFY2(problem.isEmpty(), qPrintable(QString::fromLatin1(encoding) + QLatin1String(": ") + problem));
    }
    // And the whole file as a body in every encoding.
    for (const char *encoding : fuzz::kEncodings) {
        const QString problem
            = fuzz::checkDecode(decodeContent(input, encoding, fuzz::kDecodeLimit), fuzz::kDecodeLimit);
        QVERIFY2(problem.isEmpty(), qPrintable(QLatin1String(encoding) + QLatin1String(": ") + problem));
    }
}

void TestFuzzRegressions::query()
{
    const QString text = QString::fromUtf8(readInput());
    const QString problem = fuzz::checkQuery(text, parseQuery(text));
    QVERIFY2(problem.isEmpty(), qPrintable(problem));
}

QTEST_GUILESS_MAIN(TestFuzzRegressions)
#include "tst_fuzz_regressions.moc"
