#include "ui/request_view.h"

#include "ui/key_value_table.h"

#include <QFontDatabase>
#include <QJsonArray>
#include <QLabel>
#include <QUrlQuery>
#include <QVBoxLayout>

namespace faultline {

namespace {

// Headers, cookies and the query string arrive as an object, as [key, value] pairs, or as text.
QList<QPair<QString, QString>> pairsOf(const QJsonValue &value, QChar separator)
{
    QList<QPair<QString, QString>> pairs;
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.begin(); it != object.end(); ++it)
            pairs.append({ it.key(), KeyValueTable::displayValue(it.value()) });
    } else if (value.isArray()) {
        for (const QJsonValue &entry : value.toArray()) {
            const QJsonArray pair = entry.toArray();
            if (pair.size() >= 2)
                pairs.append({ KeyValueTable::displayValue(pair.at(0)), KeyValueTable::displayValue(pair.at(1)) });
        }
    } else if (value.isString() && !value.toString().isEmpty()) {
        if (separator == QLatin1Char('&')) {
            const QUrlQuery query(value.toString());
            for (const auto &item : query.queryItems(QUrl::FullyDecoded))
                pairs.append(item);
        } else {
            for (const QString &part : value.toString().split(separator, Qt::SkipEmptyParts)) {
                const qsizetype eq = part.indexOf(QLatin1Char('='));
                pairs.append({ part.left(eq).trimmed(), eq < 0 ? QString() : part.mid(eq + 1) });
            }
        }
    }
    return pairs;
}

} // namespace

RequestView::RequestView(QWidget *parent)
    : QWidget(parent)
    , m_line(new QLabel(this))
{
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_line->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_line->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_line->setWordWrap(true);
    m_line->setMinimumWidth(1);
    layout->addWidget(m_line);
    for (const QString &title : { tr("Query"), tr("Headers"), tr("Cookies"), tr("Body"), tr("Environment") }) {
        auto *caption = new QLabel(title, this);
        QFont font = caption->font();
        font.setBold(true);
        caption->setFont(font);
        auto *table = new KeyValueTable(this);
        layout->addWidget(caption);
        layout->addWidget(table);
        m_tables.append({ caption, table });
    }
}

bool RequestView::setRequest(const QJsonObject &request)
{
    const QString method = request.value(QLatin1String("method")).toString();
    const QString url = request.value(QLatin1String("url")).toString();
    m_line->setText(QStringLiteral("<b>%1</b> %2").arg(method.toHtmlEscaped(), url.toHtmlEscaped()));
    m_line->setVisible(!method.isEmpty() || !url.isEmpty());

    QList<QPair<QString, QString>> body;
    const QJsonValue data = request.value(QLatin1String("data"));
    if (data.isObject())
        body = pairsOf(data, QLatin1Char('&'));
    else if (!data.isUndefined() && !data.isNull())
        body.append({ tr("(body)"), KeyValueTable::displayValue(data) });

    const QList<QList<QPair<QString, QString>>> contents = {
        pairsOf(request.value(QLatin1String("query_string")), QLatin1Char('&')),
        pairsOf(request.value(QLatin1String("headers")), QLatin1Char('\n')),
        pairsOf(request.value(QLatin1String("cookies")), QLatin1Char(';')),
        body,
        pairsOf(request.value(QLatin1String("env")), QLatin1Char('\n')),
    };
    bool any = m_line->isVisible();
    for (int i = 0; i < m_tables.size(); ++i) {
        m_tables[i].second->setPairs(contents.at(i));
        const bool visible = !contents.at(i).isEmpty();
        m_tables[i].first->setVisible(visible);
        m_tables[i].second->setVisible(visible);
        any = any || visible;
    }
    return any;
}

} // namespace faultline
