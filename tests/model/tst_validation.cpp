// extractValidationErrors / extractHttpOutcome on the Pydantic and DRF
// captures and on hand-written Pydantic v2 and structured shapes.
#include "model/event_parser.h"
#include "model/validation.h"
#include "support/fixture_events.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace faultline;
using namespace faultline::test;

namespace {

Event eventFrom(const QJsonObject &json)
{
    const auto event = parseEvent(json);
    if (!event)
        qWarning() << "unexpected parse failure" << event.errors().first().msg;
    return event ? event.value() : Event {};
}

Event eventFrom(const QByteArray &json) { return eventFrom(QJsonDocument::fromJson(json).object()); }

// An exception event whose (last) exception has this type and value.
Event exceptionEvent(const QString &type, const QString &value, const QJsonObject &more = {})
{
    QJsonObject json = more;
    json["exception"]
        = QJsonObject { { "values", QJsonArray { QJsonObject { { "type", type }, { "value", value } } } } };
    return eventFrom(json);
}

QString describe(const QList<ValidationIssue> &issues)
{
    QStringList lines;
    for (const ValidationIssue &issue : issues)
        lines.append(issue.loc.join('.') + " | " + issue.msg + " | " + issue.type + " | " + issue.input);
    return lines.join('\n');
}

} // namespace

class TestValidation : public QObject {
    Q_OBJECT

private slots:
    void pydanticV1Fixture()
    {
        const Event event = fixtureEvent(QStringLiteral("pydantic_validation_store"));
        const QList<ValidationIssue> issues = extractValidationErrors(event);
        QCOMPARE(describe(issues),
            QStringLiteral("quantity | value is not a valid integer | type_error.integer | \n"
                           "email | email must contain @ | value_error | "));
        // parseEvent fills the event's copy too
        QCOMPARE(describe(event.validationErrors), describe(issues));
    }

    void pydanticV1Nested()
    {
        const Event event = exceptionEvent("ValidationError",
            "3 validation errors for Order\n"
            "items -> 0 -> qty\n"
            "  ensure this value is greater than or equal to 1 (type=value_error.number.not_ge; limit_value=1)\n"
            "customer -> email\n"
            "  field required (type=value_error.missing)\n"
            "__root__\n"
            "  totals do not match (type=value_error)");
        QCOMPARE(describe(extractValidationErrors(event)),
            QStringLiteral("items.0.qty | ensure this value is greater than or equal to 1 | "
                           "value_error.number.not_ge | \n"
                           "customer.email | field required | value_error.missing | \n"
                           "__root__ | totals do not match | value_error | "));
        QCOMPARE(extractValidationErrors(event).first().loc, (QStringList { "items", "0", "qty" }));
    }

    void pydanticV2Text()
    {
        // str(ValidationError) of pydantic 2.x, as documented at docs.pydantic.dev ("Error Handling")
        const Event event = exceptionEvent("ValidationError",
            "4 validation errors for Order\n"
            "quantity\n"
            "  Input should be a valid integer, unable to parse string as an integer "
            "[type=int_parsing, input_value='not-a-number', input_type=str]\n"
            "    For further information visit https://errors.pydantic.dev/2.5/v/int_parsing\n"
            "items.0.sku\n"
            "  Field required [type=missing, input_value={'qty': 2, 'tags': ['a', 'b]']}, input_type=dict]\n"
            "    For further information visit https://errors.pydantic.dev/2.5/v/missing\n"
            "email\n"
            "  Value error, email must contain @ [type=value_error, input_value='nobody', input_type=str]\n"
            "    For further information visit https://errors.pydantic.dev/2.5/v/value_error\n"
            "  Assertion failed, totals differ [type=assertion_error, input_value=3, input_type=int]\n");
        const QList<ValidationIssue> issues = extractValidationErrors(event);
        QCOMPARE(issues.size(), 4);
        QCOMPARE(issues.at(0).loc, QStringList { "quantity" });
        QCOMPARE(
            issues.at(0).msg, QStringLiteral("Input should be a valid integer, unable to parse string as an integer"));
        QCOMPARE(issues.at(0).type, QStringLiteral("int_parsing"));
        QCOMPARE(issues.at(0).input, QStringLiteral("not-a-number"));
        QCOMPARE(issues.at(1).loc, (QStringList { "items", "0", "sku" }));
        QCOMPARE(issues.at(1).type, QStringLiteral("missing"));
        QCOMPARE(issues.at(1).input, QStringLiteral("{'qty': 2, 'tags': ['a', 'b]']}"));
        QCOMPARE(issues.at(2).msg, QStringLiteral("Value error, email must contain @"));
        QCOMPARE(issues.at(2).type, QStringLiteral("value_error"));
        QCOMPARE(issues.at(2).input, QStringLiteral("nobody"));
        // a second error under the same field
        QCOMPARE(issues.at(3).loc, QStringList { "email" });
        QCOMPARE(issues.at(3).input, QStringLiteral("3"));

        // model-level errors have no loc line in v2
        const Event modelLevel = exceptionEvent("ValidationError",
            "1 validation error for Order\n"
            "  Value error, totals differ [type=value_error, input_value={'a': 1}, input_type=dict]\n"
            "    For further information visit https://errors.pydantic.dev/2.5/v/value_error");
        QCOMPARE(describe(extractValidationErrors(modelLevel)),
            QStringLiteral(" | Value error, totals differ | value_error | {'a': 1}"));
    }

    void drfFixture()
    {
        const Event event = fixtureEvent(QStringLiteral("django_drf_validation_store"));
        QCOMPARE(describe(extractValidationErrors(event)),
            QStringLiteral("field | explicit validation failure | invalid | "));
    }

    void drfReprShapes()
    {
        // the serializer case: several fields, the posted values come from request.data
        Event event = exceptionEvent("ValidationError",
            "{'quantity': [ErrorDetail(string='Ensure this value is greater than or equal to 1.', code='min_value')], "
            "'email': [ErrorDetail(string='Enter a valid email address.', code='invalid'), "
            "ErrorDetail(string=\"Can't be 'nobody'.\", code='blocked')]}",
            QJsonObject {
                { "request", QJsonObject { { "data", QJsonObject { { "quantity", 0 }, { "email", "nobody" } } } } } });
        QList<ValidationIssue> issues = extractValidationErrors(event);
        std::sort(issues.begin(), issues.end(),
            [](const ValidationIssue &a, const ValidationIssue &b) { return a.msg < b.msg; });
        QCOMPARE(describe(issues),
            QStringLiteral("email | Can't be 'nobody'. | blocked | nobody\n"
                           "quantity | Ensure this value is greater than or equal to 1. | min_value | 0\n"
                           "email | Enter a valid email address. | invalid | nobody"));

        // raise ValidationError("msg"): a bare list, no field
        event = exceptionEvent("ValidationError", "[ErrorDetail(string='Order is closed.', code='invalid')]");
        QCOMPARE(describe(extractValidationErrors(event)), QStringLiteral(" | Order is closed. | invalid | "));

        // nested and list serializers
        event = exceptionEvent(
            "ValidationError", "{'items': [{}, {'qty': [ErrorDetail(string='Required.', code='required')]}]}");
        QCOMPARE(describe(extractValidationErrors(event)), QStringLiteral("items.1.qty | Required. | required | "));

        // not a validation error: a dict-looking value is left alone
        QVERIFY(extractValidationErrors(exceptionEvent("KeyError", "{'a': 1}")).isEmpty());
        QVERIFY(extractValidationErrors(exceptionEvent("ValidationError", "{'a': [broken")).isEmpty());
        QVERIFY(extractValidationErrors(fixtureEvent("python_exception_store")).isEmpty());
    }

    void structuredLists()
    {
        Event event = eventFrom(QByteArray(R"({"message":"bad request","extra":{"validation_errors":[
            {"loc":["body","email"],"msg":"value is not a valid email address","type":"value_error.email","input":"x"},
            {"loc":["body","items",2],"msg":"field required","type":"value_error.missing"}]}})"));
        QCOMPARE(describe(event.validationErrors),
            QStringLiteral("body.email | value is not a valid email address | value_error.email | x\n"
                           "body.items.2 | field required | value_error.missing | "));

        event = eventFrom(QByteArray(R"({"contexts":{"validation_errors":{"type":"validation","errors":[
            {"loc":"query.page","message":"must be positive","code":"min"}]}}})"));
        QCOMPARE(describe(event.validationErrors), QStringLiteral("query.page | must be positive | min | "));

        event = eventFrom(QByteArray(R"({"contexts":{"api":{"errors":[{"loc":["id"],"msg":"bad","type":"t"}]}}})"));
        QCOMPARE(describe(event.validationErrors), QStringLiteral("id | bad | t | "));

        // a DRF-style map in extra
        event = eventFrom(QByteArray(R"({"extra":{"errors":{"email":["Enter a valid email address."]}}})"));
        QCOMPARE(describe(event.validationErrors), QStringLiteral("email | Enter a valid email address. | invalid | "));
    }

    void httpOutcome()
    {
        Event event = eventFrom(QByteArray(R"({"contexts":{"response":{"type":"response","status_code":400,
            "data":{"error":{"email":["Enter a valid email address."]},"status_code":400}}}})"));
        QCOMPARE(event.http.statusCode, 400);
        QCOMPARE(event.http.errorBody.toObject().value("status_code").toInt(), 400);
        // the handler's body names the failing field
        QCOMPARE(describe(event.validationErrors), QStringLiteral("email | Enter a valid email address. | invalid | "));

        event
            = eventFrom(QByteArray(R"({"tags":{"http.status_code":"502"},"extra":{"response_body":"upstream down"}})"));
        QCOMPARE(event.http.statusCode, 502);
        QCOMPARE(event.http.errorBody.toString(), QStringLiteral("upstream down"));

        event = eventFrom(QByteArray(R"({"tags":[["status_code",404]]})"));
        QCOMPARE(event.http.statusCode, 404);
        QVERIFY(event.http.errorBody.isUndefined());

        event = eventFrom(QJsonObject { { "response",
            QJsonObject { { "status_code", "422" }, { "body", QStringLiteral("{\"detail\":\"bad\"}") } } } });
        QCOMPARE(event.http.statusCode, 422);
        QCOMPARE(event.http.errorBody.toObject().value("detail").toString(), QStringLiteral("bad"));

        event = eventFrom(QByteArray(R"({"http_status":409,"error_body":{"error":"conflict"}})"));
        QCOMPARE(event.http.statusCode, 409);
        QCOMPARE(event.http.errorBody.toObject().value("error").toString(), QStringLiteral("conflict"));

        event = eventFrom(QByteArray(R"({"extra":{"error_body":"[1,2]"},"http_status":"abc"})"));
        QCOMPARE(event.http.statusCode, 0);
        QCOMPARE(event.http.errorBody.toArray().size(), 2);

        const Event plain = fixtureEvent(QStringLiteral("python_exception_store"));
        QCOMPARE(plain.http.statusCode, 0);
        QVERIFY(plain.http.errorBody.isUndefined());
        QCOMPARE(extractHttpOutcome(plain).statusCode, 0);
    }
};

QTEST_GUILESS_MAIN(TestValidation)
#include "tst_validation.moc"
