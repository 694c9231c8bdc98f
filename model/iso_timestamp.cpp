#include "model/iso_timestamp.h"

#include <cstdint>

namespace faultline {

namespace {

// Reads exactly `count` ASCII digits at `pos`, advancing it.
bool readDigits(QStringView text, qsizetype &pos, int count, int *value)
{
    if (pos + count > text.size())
        return false;
    int result = 0;
    for (int i = 0; i < count; ++i) {
        const char16_t c = text[pos + i].unicode();
        if (c < u'0' || c > u'9')
            return false;
        result = result * 10 + (c - u'0');
    }
    pos += count;
    *value = result;
    return true;
}

bool consume(QStringView text, qsizetype &pos, char16_t expected)
{
    if (pos < text.size() && text[pos] == expected) {
        ++pos;
        return true;
    }
    return false;
}

// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's days_from_civil).
std::int64_t daysFromCivil(int year, int month, int day)
{
    year -= month <= 2 ? 1 : 0;
    const int era = (year >= 0 ? year : year - 399) / 400;
    const int yearOfEra = year - era * 400;
    const int dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return std::int64_t(era) * 146097 + dayOfEra - 719468;
}

int daysInMonth(int year, int month)
{
    static constexpr int days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    return month == 2 && leap ? 29 : days[month - 1];
}

} // namespace

std::optional<double> parseIsoTimestamp(QStringView text)
{
    qsizetype pos = 0;
    int year = 0, month = 0, day = 0, hour = 0, minute = 0, second = 0;
    if (!readDigits(text, pos, 4, &year) || !consume(text, pos, u'-') || !readDigits(text, pos, 2, &month)
        || !consume(text, pos, u'-') || !readDigits(text, pos, 2, &day))
        return std::nullopt;
    if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month))
        return std::nullopt;

    double fraction = 0;
    if (consume(text, pos, u'T') || consume(text, pos, u't') || consume(text, pos, u' ')) {
        if (!readDigits(text, pos, 2, &hour) || !consume(text, pos, u':') || !readDigits(text, pos, 2, &minute))
            return std::nullopt;
        if (consume(text, pos, u':')) {
            if (!readDigits(text, pos, 2, &second))
                return std::nullopt;
            if (consume(text, pos, u'.') || consume(text, pos, u',')) {
                double scale = 0.1;
                const qsizetype start = pos;
                for (; pos < text.size() && text[pos] >= u'0' && text[pos] <= u'9'; ++pos, scale /= 10)
                    fraction += (text[pos].unicode() - u'0') * scale;
                if (pos == start)
                    return std::nullopt;
            }
        }
        if (hour > 23 || minute > 59 || second > 59)
            return std::nullopt;
    }
    while (pos < text.size() && text[pos].isSpace())
        ++pos;

    // No zone means UTC, as Sentry assumes for naive timestamps.
    int offsetSeconds = 0;
    if (consume(text, pos, u'Z') || consume(text, pos, u'z')) {
    } else if (pos < text.size() && (text[pos] == u'+' || text[pos] == u'-')) {
        const int sign = text[pos] == u'-' ? -1 : 1;
        ++pos;
        int offsetHours = 0, offsetMinutes = 0;
        if (!readDigits(text, pos, 2, &offsetHours))
            return std::nullopt;
        if (pos < text.size()) {
            consume(text, pos, u':');
            if (!readDigits(text, pos, 2, &offsetMinutes))
                return std::nullopt;
        }
        offsetSeconds = sign * (offsetHours * 3600 + offsetMinutes * 60);
    }
    if (pos != text.size())
        return std::nullopt;

    const std::int64_t seconds = daysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
    return double(seconds - offsetSeconds) + fraction;
}

} // namespace faultline
