#pragma once
// "All projects" at a glance: events per hour of each project over the last
// day (bars with their peak), the issues that appeared in that day, and the
// events lost before storage (refused by the collector, dropped by SDKs).
#include "storage/project_overview.h"
#include "ui/main_window_context.h"

#include <QWidget>

#include <functional>

class QGridLayout;
class QLabel;
class QVBoxLayout;

namespace faultline {

class StorageGateway;

class ProjectOverviewView : public QWidget {
    Q_OBJECT
public:
    // `storage` must outlive the view; `collectorStatus` may be empty (no collector).
    explicit ProjectOverviewView(
        StorageGateway &storage, std::function<CollectorStatus()> collectorStatus = {}, QWidget *parent = nullptr);

    // Reads the overview again on the storage reader (one index range per project); refreshed() when shown.
    void refresh();
    void setOverview(const ProjectOverview &overview);
    const ProjectOverview &overview() const { return m_overview; }

signals:
    void issueActivated(qint64 issueId);
    void refreshed();

private:
    StorageGateway &m_storage;
    std::function<CollectorStatus()> m_collectorStatus;
    ProjectOverview m_overview;
    QVBoxLayout *m_content;
};

} // namespace faultline
