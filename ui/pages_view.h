#pragma once
// The "Pages" view of a project: its distinct error pages (by status code and
// content) on the left with thumbnails, the selected one rendered on the right
// as the user saw it, with the issues and releases it came with.
#include "ui/pages_model.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace faultline {

class PagePreview;
class PageQueries;

class PagesView : public QWidget {
    Q_OBJECT
public:
    // `queries` must outlive the view.
    explicit PagesView(PageQueries *queries, QWidget *parent = nullptr);

    void setProject(qint64 projectId); // 0 = every project
    void refresh(); // keeps the selected page selected
    void apply(const PagesModel::Snapshot &snapshot); // refresh() with the read done elsewhere
    void selectRow(int row);

    PagesModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    PagePreview *preview() const { return m_preview; }
    QString contextText() const; // "Seen in #3 …; releases …" under the preview

signals:
    // Double-click on a row: the newest issue the page appeared in, for the main window to open.
    void issueActivated(qint64 issueId);

private:
    void showRow(int row);

    PagesModel *m_model;
    QTableView *m_table;
    PagePreview *m_preview;
    QLabel *m_context;
    QLabel *m_empty;
};

} // namespace faultline
