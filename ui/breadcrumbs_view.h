#pragma once
// What happened before the error, newest first (as Sentry lists them): the
// last few entries, the older ones behind "Show N more"; a type and a level
// filter; HTTP entries read "GET https://… → 200" with the rest of their
// data inline.
#include "model/event.h"
#include "ui/fitted_table.h"

#include <QWidget>

class QComboBox;
class QToolButton;

namespace faultline {

// The rows themselves.
class BreadcrumbsView : public FittedTable {
    Q_OBJECT
public:
    enum Columns { TimeColumn, CategoryColumn, LevelColumn, MessageColumn, DataColumn, ColumnCount };
    static constexpr int kCollapsedCount = 5; // entries shown before "Show N more"

    explicit BreadcrumbsView(QWidget *parent = nullptr);
    void setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs);
    // Empty = any. The type is the crumb's type, or its category when it has none.
    void setFilter(const QString &type, const QString &level);
    void setShowAll(bool all);
    int hiddenCount() const { return m_hidden; } // matching entries behind "Show N more"
    QStringList types() const; // of the entries, for the filter
    QStringList levels() const;

    // "GET https://example.com/api → 500" for an HTTP crumb, its message otherwise.
    static QString messageOf(const Breadcrumb &crumb);
    // key=value pairs not already said by messageOf().
    static QString dataOf(const Breadcrumb &crumb);
    static QString typeOf(const Breadcrumb &crumb);

signals:
    void hiddenCountChanged(int hidden);

private:
    void rebuild();

    QList<Breadcrumb> m_newestFirst;
    QString m_type;
    QString m_level;
    bool m_showAll = false;
    int m_hidden = 0;
};

// The table with its filters and "Show N more": what the Breadcrumbs section holds.
class BreadcrumbsPanel : public QWidget {
    Q_OBJECT
public:
    explicit BreadcrumbsPanel(QWidget *parent = nullptr);
    void setBreadcrumbs(const QList<Breadcrumb> &breadcrumbs);
    BreadcrumbsView *table() const { return m_table; }
    QToolButton *moreButton() const { return m_more; }
    QComboBox *typeFilter() const { return m_typeFilter; }
    QComboBox *levelFilter() const { return m_levelFilter; }

private:
    void applyFilter();

    BreadcrumbsView *m_table;
    QComboBox *m_typeFilter;
    QComboBox *m_levelFilter;
    QToolButton *m_more;
};

} // namespace faultline
