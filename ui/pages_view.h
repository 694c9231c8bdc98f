#pragma once
// The "Pages" view of a project: its distinct error pages (by status code and
// shape) on the left with thumbnails, the selected one rendered on the right
// as the user saw it, with its variants (renderings that differ only in
// request ids, tokens or times) and the issues (links) and releases it came with.
// The list's Issues column shows only where it has room to be read; the same
// issues are links under the preview either way.
#include "ui/triage/pages_model.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QTableView;

namespace faultline {

class PagePreview;
class StorageGateway;

class PagesView : public QWidget {
    Q_OBJECT
public:
    // `storage` must outlive the view; every read runs on its reader.
    explicit PagesView(StorageGateway &storage, QWidget *parent = nullptr);

    void setProject(qint64 projectId); // 0 = every project; the first page is selected once read
    void refresh(); // keeps the selected page selected, once read
    void apply(const PagesModel::Snapshot &snapshot); // refresh() with the read done elsewhere
    void selectRow(int row);
    // The list, the preview's page body and the thumbnails asked for are read and shown.
    bool isLoading() const { return m_model->isLoading() || m_previewPending; }

    PagesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PagePreview *preview() const { return m_preview; }
    QString contextText() const; // "Shown with … in: #3 …; releases …" under the preview, as plain text
    QComboBox *variantPicker() const { return m_variants; } // hidden when the page has one variant
    static constexpr int kIssuesColumnMinWidth = 170; // "#12 KeyError: 'sku'" over two lines

signals:
    // A click on a row's issues, a double-click on a row, or an issue link under the preview:
    // the issue to open (the newest the page appeared in, or the link's), for the main window.
    void issueActivated(qint64 issueId);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void fitIssuesColumn(); // shown when the other columns leave it kIssuesColumnMinWidth
    void showRow(int row);
    void showVariant(int index);
    // The body arrives from the gateway; one asked for before the user moved on is dropped.
    void showPageBody(const QString &sha256, int statusCode, const QString &filename);
    void keepSelection(); // after the rows were re-read: the same page, else the first

    quint64 m_previewSerial = 0;
    bool m_previewPending = false;
    DistinctPage m_selectedBeforeReset;

    PagesModel *m_model;
    QTableView *m_table;
    PagePreview *m_preview;
    QLabel *m_context;
    QComboBox *m_variants;
    QLabel *m_variantsLabel;
    QLabel *m_empty;
};

} // namespace faultline
