#pragma once
// The issue's tag distribution, as Sentry's tag panel shows it: for each key
// (release, environment, user, server_name, browser, os, runtime, then custom
// tags) the most frequent values with their share of the issue's events as a
// bar. Clicking a value asks for the issue's events with that value.
#include "storage/issue_summary.h"

#include <QAbstractButton>
#include <QWidget>

class QVBoxLayout;

namespace faultline {

// One value of a key: its name, a bar as wide as its share, the percentage.
// Painted from the palette, so a theme change re-colours it at once.
class TagValueBar : public QAbstractButton {
    Q_OBJECT
public:
    TagValueBar(const TagValueCount &value, double share, QWidget *parent = nullptr);

    double share() const { return m_share; }
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    TagValueCount m_value;
    double m_share; // 0..1 of the issue's events
};

class TagDistributionView : public QWidget {
    Q_OBJECT
public:
    explicit TagDistributionView(QWidget *parent = nullptr);

    // `issueEvents`: the issue's event count, the 100 % of every bar.
    void setSummary(const IssueSummary &summary, qint64 issueEvents);
    const IssueSummary &summary() const { return m_summary; }
    void clear();

    // The query term that finds a value's events, unquoted (QueryBar::appendTerm quotes it):
    // `browser:Chrome 120`, `user:id:42`, `tag:level=x` for a tag named like a search key.
    static QString filterTerm(const TagDistribution &tag, const QString &value);

    static constexpr int kCollapsedValues = 5; // per key until "show more"

signals:
    void valueClicked(const QString &term);

private:
    void rebuild();

    IssueSummary m_summary;
    qint64 m_issueEvents = 0;
    QStringList m_expanded; // keys showing all their top values
    QVBoxLayout *m_layout;
};

} // namespace faultline
