#pragma once
// The distinct pages of a project ("what the users saw"), one row per status
// code and page shape (its variants inside), with a rendered thumbnail of each.
// Reads run on the storage gateway's reader; the thumbnails of the rows the
// view shows (requestRows) render on a worker thread into a cache by content
// hash, and show (dataChanged) when done. data() only looks at what is held.
#include "storage/page_queries.h"
#include "storage/store_readers.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QImage>
#include <QList>
#include <QSet>
#include <QSize>
#include <QThreadPool>

#include <functional>

namespace faultline {

class StorageGateway;

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

    // `storage` must outlive the model.
    explicit PagesModel(StorageGateway &storage, QObject *parent = nullptr);
    ~PagesModel() override; // waits for a thumbnail being rendered

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void setProject(qint64 projectId); // 0 = every project
    qint64 project() const { return m_projectId; }
    // Re-reads on the gateway, applied when read; thumbnails stay cached (the hash names the content).
    void refresh();
    // refresh() in two steps: the read (any thread, its own connection) and showing it.
    struct Snapshot {
        qint64 projectId = 0;
        QList<DistinctPage> pages;
        QString error;
    };
    static Snapshot read(const PageReader &pages, qint64 projectId);
    void apply(const Snapshot &snapshot); // ignored when it is for another project
    bool isLoading() const { return m_readsInFlight > 0 || !m_thumbnailsAsked.isEmpty(); }
    // The rows the view shows, from its scrolling and size: their thumbnails not held are
    // rendered, now and whenever the rows change.
    void requestRows(int first, int last);
    void setNowMs(qint64 nowMs) { m_nowMs = nowMs; } // tests pin "now"; 0 = the clock
    qint64 nowMs() const; // what relative times are measured from

    DistinctPage page(int row) const;
    // Any stored page body by hash, read on the gateway, handed to `done` on `receiver`'s thread
    // (not at all when the receiver is gone first); not kept.
    void readPageData(const QString &sha256, QObject *receiver, std::function<void(const QByteArray &)> done) const;
    // The row whose group has this shape or carries a variant with this sha256; -1 when absent.
    int rowOf(const QString &shapeOrSha256, int statusCode) const;
    QString lastError() const { return m_error; }
    int thumbnailsRendered() const { return m_thumbnailsRendered; }

    // The page laid out at desktop width (a page of a line or two narrower, so its words stay
    // readable), scaled down, white where it paints nothing; a blank page says so. Any thread.
    static QImage renderThumbnail(const QByteArray &html, QSize size = kThumbnailSize);

signals:
    void loaded(); // isLoading() turned false

private:
    QImage thumbnail(const DistinctPage &page) const; // a blank of the same size until rendered
    void requestShownThumbnails();
    void requestThumbnail(const QString &sha256);
    void installThumbnail(const QString &sha256, const QImage &image);
    void emitLoadedWhenIdle();

    StorageGateway &m_storage;
    int m_readsInFlight = 0;
    QSet<QString> m_thumbnailsAsked; // being read or rendered
    QThreadPool m_renderPool; // one thread: thumbnails render one after another, off the GUI thread
    int m_shownFirst = 0; // the rows the view shows (requestRows), none at first
    int m_shownLast = -1;
    qint64 m_projectId = 0;
    qint64 m_nowMs = 0;
    QList<DistinctPage> m_pages;
    QString m_error;
    QHash<QString, QImage> m_thumbnails; // by sha256
    int m_thumbnailsRendered = 0;
};

} // namespace faultline
