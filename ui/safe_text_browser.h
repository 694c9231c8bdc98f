#pragma once
// A SafeTextDocument (ui/triage/safe_text_document.h) on screen: QTextBrowser
// runs no scripts, and this one also never navigates and counts what it refused.
#include "ui/triage/safe_text_document.h"

#include <QTextBrowser>

namespace faultline {

class SafeTextBrowser : public QTextBrowser {
    Q_OBJECT
public:
    explicit SafeTextBrowser(QWidget *parent = nullptr);

    // Renders prepareHtml(page). Callers check the size against kMaxRenderBytes first.
    void showPage(const QByteArray &page);

    QVariant loadResource(int type, const QUrl &name) override;

    int refusedResources() const { return m_refusedResources; }
    int refusedNavigations() const { return m_refusedNavigations; }

signals:
    void resourceRefused(const QUrl &url, int type);
    void navigationRefused(const QUrl &url);

protected:
    void doSetSource(const QUrl &name, QTextDocument::ResourceType type) override;

private:
    void countRefusal(const QUrl &url, int type);

    int m_refusedResources = 0;
    int m_refusedNavigations = 0;
};

} // namespace faultline
