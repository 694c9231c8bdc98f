#pragma once
// "What the user saw": a stored error page rendered as the client got it
// (through SafeTextBrowser), with a toggle to its HTML source, its status
// code and size. Links in it are shown, never followed.
#include <QByteArray>
#include <QString>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QStackedWidget;
class QToolButton;

namespace faultline {

class SafeTextBrowser;

class PagePreview : public QWidget {
    Q_OBJECT
public:
    // Over SafeTextDocument::kMaxRenderBytes a page is not rendered: its first
    // kTruncatedSourceBytes are shown as source, with a note saying so.
    static constexpr qsizetype kTruncatedSourceBytes = 256 * 1024;

    explicit PagePreview(QWidget *parent = nullptr);

    // statusCode 0 = unknown; filename is only shown.
    void setPage(const QByteArray &html, int statusCode, const QString &filename = {});
    void clear();

    bool isShowingSource() const;
    void setShowingSource(bool source);
    bool isTruncated() const { return m_truncated; }

    QString headerText() const; // "HTTP 500 · 38 bytes · 500.html"
    QString noteText() const; // the truncation note, "" when rendered
    QString lastRefusedLink() const { return m_lastRefusedLink; }

    SafeTextBrowser *browser() const { return m_browser; }
    QPlainTextEdit *sourceView() const { return m_source; }

private:
    void showRefusedLink(const QUrl &url);

    QLabel *m_header;
    QToolButton *m_sourceToggle;
    QLabel *m_note;
    QLabel *m_linkNote;
    QStackedWidget *m_stack;
    SafeTextBrowser *m_browser;
    QPlainTextEdit *m_source;
    bool m_truncated = false;
    QString m_lastRefusedLink;
};

} // namespace faultline
