#pragma once
// The search field: parses as you type (debounced) and either publishes the
// query or shows everything that is wrong — each offending term underlined,
// the first selected on Enter, and every reason in red underneath.
#include "model/query/query.h"
#include "model/query/query_parser.h"

#include <QTimer>
#include <QWidget>

class QLabel;
class QLineEdit;

namespace faultline {

class QueryBar : public QWidget {
    Q_OBJECT
public:
    explicit QueryBar(QWidget *parent = nullptr);

    QLineEdit *lineEdit() const { return m_edit; }
    QString text() const;
    void setText(const QString &text); // parses now, no debounce
    void appendTerm(const QString &term); // e.g. a clicked tag, `key:value`
    QString errorText() const;
    bool hasError() const { return m_hasError; }
    QuerySpan errorSpan() const { return m_errorSpan; } // the first mistake
    QList<QuerySpan> errorSpans() const { return m_errorSpans; } // every mistake
    Query query() const { return m_query; }

    static constexpr int kDebounceMs = 150;

signals:
    void queryChanged(const faultline::Query &query);
    void validityChanged(bool valid); // the text stopped (or started again) to parse: results are stale

private:
    void parseNow();
    void underline(const QList<QuerySpan> &spans);
    static QString quoteIfNeeded(const QString &text);

    QLineEdit *m_edit;
    QLabel *m_error;
    QTimer m_debounce;
    Query m_query;
    QString m_lastPublished;
    QuerySpan m_errorSpan;
    QList<QuerySpan> m_errorSpans;
    bool m_hasError = false;
    bool m_published = false;
};

} // namespace faultline
