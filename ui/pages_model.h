#pragma once
// The distinct pages of a project ("what the users saw"), one row per status
// code and page shape (its variants inside), with a rendered thumbnail of each.
#include "storage/page_queries.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QImage>
#include <QList>
#include <QSize>

namespace faultline {

class PagesModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Columns { PageColumn, StatusColumn, EventsColumn, FirstSeenColumn, LastSeenColumn, IssuesColumn, ColumnCount };
    enum Roles {
        Sha256Role = Qt::UserRole + 1,
        StatusCodeRole, // int, 0 = unknown
        EventsRole, // qint64
        FirstSeenRole, // epoch ms
        LastSeenRole, // epoch ms
        IssueIdsRole, // QList<qint64>
        SizeRole, // bytes
        VariantsRole, // int: how many different renderings the row stands for
    };

    static constexpr QSize kThumbnailSize { 160, 110 };

    // `queries` must outlive the model; a read-only connection is enough.
    explicit PagesModel(PageQueries *queries, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProject(qint64 projectId); // 0 = every project
    qint64 project() const { return m_projectId; }
    void refresh(); // re-reads; thumbnails stay cached (the hash names the content)
    // refresh() in two steps: the read (any thread, its own connection) and showing it.
    struct Snapshot {
        qint64 projectId = 0;
        QList<DistinctPage> pages;
        QString error;
    };
    static Snapshot read(PageQueries &queries, qint64 projectId);
    Snapshot readNow() const; // through the model's own queries
    void apply(const Snapshot &snapshot); // ignored when it is for another project
    void setNowMs(qint64 nowMs) { m_nowMs = nowMs; } // tests pin "now"; 0 = the clock
    qint64 nowMs() const; // what relative times are measured from

    DistinctPage page(int row) const;
    QByteArray pageData(int row) const; // the newest variant, read on demand, not kept
    QByteArray variantData(const QString &sha256) const; // any stored page body by hash
    // The row whose group has this shape or carries a variant with this sha256; -1 when absent.
    int rowOf(const QString &shapeOrSha256, int statusCode) const;
    QString lastError() const { return m_error; }
    int thumbnailsRendered() const { return m_thumbnailsRendered; }

    // The page laid out at desktop width, scaled down, white where it paints nothing.
    static QImage renderThumbnail(const QByteArray &html, QSize size = kThumbnailSize);

private:
    QImage thumbnail(const DistinctPage &page) const;

    PageQueries *m_queries;
    qint64 m_projectId = 0;
    qint64 m_nowMs = 0;
    QList<DistinctPage> m_pages;
    QString m_error;
    mutable QHash<QString, QImage> m_thumbnails; // by sha256
    mutable int m_thumbnailsRendered = 0;
};

} // namespace faultline
