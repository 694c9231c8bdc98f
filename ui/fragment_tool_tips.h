#pragma once
// Tool tips for parts of a rich-text QLabel: the text's `title="…"`
// attributes (which Qt's HTML reader keeps as each fragment's tool tip, but
// QLabel never shows) appear when the mouse rests on their fragment. Where
// the mouse rests on no such fragment the label's own tool tip shows, if any.
#include <QObject>
#include <QPoint>
#include <QString>

class QLabel;

namespace faultline {

class FragmentToolTips : public QObject {
    Q_OBJECT
public:
    explicit FragmentToolTips(QLabel *label); // owned by the label

    bool eventFilter(QObject *watched, QEvent *event) override;
};

// The `title` of the text under `pos` (label coordinates); empty where there is none.
QString fragmentToolTipAt(const QLabel &label, QPoint pos);

} // namespace faultline
