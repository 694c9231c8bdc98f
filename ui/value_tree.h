#pragma once
// Local variables and `extra` as a tree: dicts and lists expand, leaves show
// the value as the SDK sent it (a Python SDK sends reprs, so 'text' keeps its
// single quotes and nothing is quoted twice). A collapsed dict or list reads
// like Python: {'k': 'v', 'n': 5}. What the SDK trimmed (the event's `_meta`,
// {"": {"len": 500}}) is marked "10 of 500". As tall as its open rows: the
// detail pane scrolls as a whole.
#include <QJsonObject>
#include <QTreeWidget>

namespace faultline {

class ValueTree : public QTreeWidget {
    Q_OBJECT
public:
    explicit ValueTree(const QString &nameHeader, QWidget *parent = nullptr);

    // `meta`: the `_meta` object at the same place in the event (may be empty).
    void setObject(const QJsonObject &values, const QJsonObject &meta = {});

    // How many members/elements the SDK had before trimming, from a `_meta` node; -1 when not trimmed.
    static qint64 originalLength(const QJsonValue &meta);
    // {'k': 'v', 'n': 5} / ['a', 1] for a container, the value as sent for a leaf.
    static QString preview(const QJsonValue &value, int maxChars = 160);

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

private:
    void addChildren(QTreeWidgetItem *parent, const QJsonValue &value, const QJsonValue &meta);
    QTreeWidgetItem *addItem(
        QTreeWidgetItem *parent, const QString &name, const QJsonValue &value, const QJsonValue &meta);
    int visibleRows() const;
};

} // namespace faultline
