// Build-time tool: renders resources/icons/faultline.svg to the PNG sizes the
// hicolor icon theme lists (menus, docks, software centres that skip SVG).
// Usage: faultline_render_icons SVG OUTPUT_DIR SIZE...  → OUTPUT_DIR/SIZExSIZE/apps/faultline.png
#include <QDir>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgRenderer>
#include <QTextStream>

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM", "offscreen"); // a build machine has no display
    QGuiApplication app(argc, argv);
    const QStringList args = app.arguments();
    if (args.size() < 4) {
        QTextStream(stderr) << "usage: faultline_render_icons SVG OUTPUT_DIR SIZE...\n";
        return 2;
    }
    QSvgRenderer renderer(args.at(1));
    if (!renderer.isValid()) {
        QTextStream(stderr) << "cannot read " << args.at(1) << "\n";
        return 1;
    }
    for (const QString &sizeText : args.mid(3)) {
        const int size = sizeText.toInt();
        QImage image(size, size, QImage::Format_ARGB32_Premultiplied);
        image.fill(Qt::transparent);
        QPainter painter(&image);
        painter.setRenderHint(QPainter::Antialiasing);
        renderer.render(&painter);
        painter.end();
        const QString dir = QStringLiteral("%1/%2x%2/apps").arg(args.at(2)).arg(size);
        if (!QDir().mkpath(dir) || !image.save(dir + QStringLiteral("/faultline.png"))) {
            QTextStream(stderr) << "cannot write " << dir << "/faultline.png\n";
            return 1;
        }
    }
    return 0;
}
