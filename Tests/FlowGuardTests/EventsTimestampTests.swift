@testable import FlowGuardEvents
@testable import FlowGuardSupport
import Testing


private func parseFailure(_ text: String) -> String? {
    do {
        _ = try RFC3339.parse(text)
        return nil
    } catch {
        return error.reason
    }
}

@Suite struct EventsTimestampTests {
    @Test func formatsUTCWithExactlyThreeFractionalDigits() {
        #expect(RFC3339.format(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(RFC3339.format(millis: 1_795_600_800_123) == "2026-11-25T10:00:00.123Z")
        #expect(RFC3339.format(millis: 1_709_279_999_999) == "2024-03-01T07:59:59.999Z")
        #expect(RFC3339.format(millis: 951_868_800_000) == "2000-03-01T00:00:00.000Z")
        #expect(RFC3339.format(millis: -1) == "1969-12-31T23:59:59.999Z")
        #expect(RFC3339.format(millis: RFC3339.maxMillis) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(millis: RFC3339.minMillis) == "0001-01-01T00:00:00.000Z")
    }

    @Test func clampsInstantsOutsideFourDigitYears() {
        #expect(RFC3339.format(millis: .max) == "9999-12-31T23:59:59.999Z")
        #expect(RFC3339.format(millis: .min) == "0001-01-01T00:00:00.000Z")
    }

    @Test func appendsWithoutQuotes() {
        var buffer = Array("at ".utf8)
        RFC3339.append(millis: 5, to: &buffer)
        #expect(String(decoding: buffer, as: UTF8.self) == "at 1970-01-01T00:00:00.005Z")
    }

    @Test func parsesOffsetsAndFractions() throws {
        #expect(try RFC3339.parse("2026-11-25T10:00:00Z") == 1_795_600_800_000)
        #expect(try RFC3339.parse("2026-11-25T15:30:00.123+05:30") == 1_795_600_800_123)
        #expect(try RFC3339.parse("2024-02-29T23:59:59.999-08:00") == 1_709_279_999_999)
        #expect(try RFC3339.parse("2026-11-25t10:00:00.5z") == 1_795_600_800_500)
        #expect(try RFC3339.parse("2026-11-25T10:00:00.1234567890123Z") == 1_795_600_800_123)
        #expect(try RFC3339.parse("2026-11-25T10:00:00.07Z") == 1_795_600_800_070)
        #expect(try RFC3339.parse("2026-11-25T10:00:00-00:00") == 1_795_600_800_000)
        #expect(try RFC3339.parse("1970-01-01T00:00:00+23:59") == -86_340_000)
        #expect(try RFC3339.parse("0001-01-01T00:00:00Z") == RFC3339.minMillis)
        #expect(try RFC3339.parse("9999-12-31T23:59:59.999Z") == RFC3339.maxMillis)
    }

    @Test(arguments: [
        ("2026-11-25T10:00:00", "missing UTC offset ('Z' or ±HH:MM)"),
        ("2026-11-25T10:00:00 Z", "missing UTC offset ('Z' or ±HH:MM)"),
        ("2026-02-30T10:00:00Z", "day out of range for the month"),
        ("2025-02-29T10:00:00Z", "day out of range for the month"),
        ("2026-04-31T10:00:00Z", "day out of range for the month"),
        ("2026-11-00T10:00:00Z", "day out of range for the month"),
        ("2026-13-01T10:00:00Z", "month out of range"),
        ("2026-00-01T10:00:00Z", "month out of range"),
        ("0000-01-01T10:00:00Z", "year out of range"),
        ("2026-11-25T24:00:00Z", "hour out of range"),
        ("2026-11-25T10:60:00Z", "minute out of range"),
        ("2026-11-25T23:59:60Z", "second out of range"),
        ("2026-11-25T10:00:00.Z", "expected digits after '.'"),
        ("2026-11-25T10:00:00+5:30", "invalid UTC offset, expected ±HH:MM"),
        ("2026-11-25T10:00:00+0530", "invalid UTC offset, expected ±HH:MM"),
        ("2026-11-25T10:00:00+24:00", "UTC offset out of range"),
        ("2026-11-25T10:00:00+05:60", "UTC offset out of range"),
        ("2026-11-25T10:00:00Zjunk", "unexpected characters after the UTC offset"),
        ("2026-11-25 10:00:00Z", "expected 'T' between date and time"),
        ("2026-11-25", "expected 'T' between date and time"),
        ("2026/11/25T10:00:00Z", "expected '-' after the year"),
        ("26-11-25T10:00:00Z", "expected a four-digit year"),
        ("2026-1-25T10:00:00Z", "expected a two-digit month"),
        ("2026-11-25T1:00:00Z", "expected a two-digit hour"),
        ("2026-11-25T10:00Z", "expected ':' after the minutes"),
        ("٢٠٢٦-11-25T10:00:00Z", "expected a four-digit year"),
        ("", "expected a four-digit year"),
        ("9999-12-31T23:59:59-00:01", "timestamp out of range"),
        ("0001-01-01T00:00:00+00:01", "timestamp out of range"),
    ])
    func rejectsInvalidTimestamps(text: String, reason: String) {
        #expect(parseFailure(text) == reason)
    }

    @Test func formatAndParseRoundTripEveryDayFrom1900To2100() throws {
        let first = RFC3339.days(year: 1900, month: 1, day: 1)
        let last = RFC3339.days(year: 2100, month: 12, day: 31)
        var expected = (year: 1900, month: 1, day: 1)
        for day in first...last {
            let date = RFC3339.civilDate(fromDays: day)
            #expect(date == expected)
            #expect(RFC3339.days(year: date.year, month: date.month, day: date.day) == day)
            if expected.day < RFC3339.daysInMonth(year: expected.year, month: expected.month) {
                expected.day += 1
            } else if expected.month < 12 {
                expected = (expected.year, expected.month + 1, 1)
            } else {
                expected = (expected.year + 1, 1, 1)
            }
        }
        #expect(last - first + 1 == 73_414)
    }

    @Test func formatAndParseRoundTripAcrossTheRange() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2_000 {
            let millis = Int64.random(in: RFC3339.minMillis...RFC3339.maxMillis, using: &generator)
            #expect(try RFC3339.parse(RFC3339.format(millis: millis)) == millis)
        }
    }
}
