#include "ui/value_tree.h"

#include <QHeaderView>
#include <QJsonArray>

namespace faultline {

namespace {

constexpr int kMaxValueChars = 400; // the full value is in the tooltip

QString leafText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
        return QStringLiteral("None");
    case QJsonValue::Bool:
        return value.toBool() ? QStringLiteral("True") : QStringLiteral("False");
    case QJsonValue::Double: {
        const double number = value.toDouble();
        if (number == double(qint64(number)) && qAbs(number) < 1e15)
            return QString::number(qint64(number));
        return QString::number(number);
    }
    default:
        return {};
    }
}

QJsonValue child(const QJsonValue &meta, const QString &key) { return meta.toObject().value(key); }

} // namespace

ValueTree::ValueTree(const QString &nameHeader, QWidget *parent)
    : QTreeWidget(parent)
{
    setColumnCount(2);
    setHeaderLabels({ nameHeader, tr("Value") });
    setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    setWordWrap(false);
    setTextElideMode(Qt::ElideRight);
    setAlternatingRowColors(true);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setFocusPolicy(Qt::NoFocus);
    setIndentation(14);
    header()->setStretchLastSection(true);
    header()->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    // Opening a dict makes the tree taller; the pane's scroll area follows.
    connect(this, &QTreeWidget::itemExpanded, this, [this] { updateGeometry(); });
    connect(this, &QTreeWidget::itemCollapsed, this, [this] { updateGeometry(); });
}

qint64 ValueTree::originalLength(const QJsonValue &meta)
{
    const QJsonValue length = child(child(meta, QString()), QStringLiteral("len"));
    return length.isDouble() ? qint64(length.toDouble()) : -1;
}

QString ValueTree::preview(const QJsonValue &value, int maxChars)
{
    QString text;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        QStringList parts;
        for (auto it = object.begin(); it != object.end() && text.size() < maxChars; ++it) {
            parts.append(QStringLiteral("'%1': %2").arg(it.key(), preview(it.value(), maxChars)));
            text = parts.join(QStringLiteral(", "));
        }
        text = u'{' + parts.join(QStringLiteral(", ")) + u'}';
    } else if (value.isArray()) {
        QStringList parts;
        for (const QJsonValue &element : value.toArray()) {
            parts.append(preview(element, maxChars));
            if (parts.join(QStringLiteral(", ")).size() > maxChars)
                break;
        }
        text = u'[' + parts.join(QStringLiteral(", ")) + u']';
    } else {
        text = leafText(value);
    }
    return text.size() > maxChars ? text.left(maxChars) + QStringLiteral("…") : text;
}

void ValueTree::setObject(const QJsonObject &values, const QJsonObject &meta)
{
    clear();
    for (auto it = values.begin(); it != values.end(); ++it)
        addItem(nullptr, it.key(), it.value(), meta.value(it.key()));
    resizeColumnToContents(0);
    setColumnWidth(0, std::clamp(columnWidth(0) + 12, 80, 260));
    updateGeometry();
}

QTreeWidgetItem *ValueTree::addItem(
    QTreeWidgetItem *parent, const QString &name, const QJsonValue &value, const QJsonValue &meta)
{
    auto *item = parent ? new QTreeWidgetItem(parent) : new QTreeWidgetItem(this);
    item->setText(0, name);
    QString shown = preview(value);
    const qint64 original = originalLength(meta);
    const qsizetype sent = value.isArray() ? value.toArray().size() : value.isObject() ? value.toObject().size() : -1;
    if (original >= 0 && sent >= 0 && original > sent) {
        const QString trimmed = tr("%1 of %2").arg(sent).arg(original);
        shown = trimmed + QStringLiteral("  ") + shown;
        item->setData(1, Qt::UserRole, trimmed);
    } else if (original > 0 && value.isString()) { // a string cut short
        shown += tr("  (%1 characters sent)").arg(original);
    }
    item->setText(1, shown.size() > kMaxValueChars ? shown.left(kMaxValueChars) + QStringLiteral("…") : shown);
    const QString full = value.isString() ? value.toString() : shown;
    if (full.size() > 40 || full.contains(u'\n'))
        item->setToolTip(1, full.left(4000));
    if (value.isObject() || value.isArray())
        addChildren(item, value, meta);
    return item;
}

void ValueTree::addChildren(QTreeWidgetItem *parent, const QJsonValue &value, const QJsonValue &meta)
{
    qsizetype sent = 0;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            addItem(parent, it.key(), it.value(), child(meta, it.key()));
        sent = object.size();
    } else {
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            addItem(parent, QString::number(i), array.at(i), child(meta, QString::number(i)));
        sent = array.size();
    }
    const qint64 original = originalLength(meta);
    if (original > sent) {
        auto *more = new QTreeWidgetItem(parent);
        more->setText(1, tr("… %1 more the SDK did not send").arg(original - sent));
        more->setForeground(1, palette().brush(QPalette::PlaceholderText));
        more->setFlags(Qt::ItemIsEnabled);
    }
}

int ValueTree::visibleRows() const
{
    int rows = 0;
    for (QTreeWidgetItemIterator it(const_cast<ValueTree *>(this)); *it; ++it) {
        bool shown = true;
        for (QTreeWidgetItem *up = (*it)->parent(); up && shown; up = up->parent())
            shown = up->isExpanded();
        rows += shown ? 1 : 0;
    }
    return rows;
}

QSize ValueTree::sizeHint() const
{
    const int row = topLevelItemCount() > 0 ? std::max(1, indexRowSizeHint(indexFromItem(topLevelItem(0))))
                                            : fontMetrics().height() + 6;
    const int height
        = 2 * frameWidth() + (header()->isHidden() ? 0 : header()->sizeHint().height()) + visibleRows() * row;
    return { QTreeWidget::sizeHint().width(), height };
}

QSize ValueTree::minimumSizeHint() const { return { 100, sizeHint().height() }; }

} // namespace faultline
