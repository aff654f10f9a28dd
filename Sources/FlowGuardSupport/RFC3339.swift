/// Formats and parses RFC 3339 timestamps as milliseconds since the Unix epoch, without Foundation.
///
/// Formatting always produces UTC with exactly three fractional digits (`2026-11-25T10:00:00.000Z`).
/// Parsing accepts `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`: `T` and `Z` may be lowercase, the
/// fraction may have any number of digits and is truncated to milliseconds, and the offset is
/// required. Leap seconds (second 60) and hour 24 are rejected, as Python's `datetime` does.
public enum RFC3339 {
    /// The earliest representable instant, `0001-01-01T00:00:00.000Z`.
    public static let minMillis: Int64 = -62_135_596_800_000
    /// The latest representable instant, `9999-12-31T23:59:59.999Z`.
    public static let maxMillis: Int64 = 253_402_300_799_999

    static let millisPerDay: Int64 = 86_400_000

    /// Formats an instant as UTC with millisecond precision, for example `2026-11-25T10:00:00.000Z`.
    /// - Parameter millis: Milliseconds since the epoch; values outside ``minMillis``...``maxMillis`` are clamped.
    public static func format(millis: Int64) -> String {
        var buffer: [UInt8] = []
        buffer.reserveCapacity(24)
        append(millis: millis, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    /// Appends the 24 bytes of ``format(millis:)`` to a buffer, without quotes.
    /// - Parameters:
    ///   - millis: Milliseconds since the epoch; values outside ``minMillis``...``maxMillis`` are clamped.
    ///   - buffer: The buffer to append to.
    public static func append(millis: Int64, to buffer: inout [UInt8]) {
        let clamped = min(max(millis, minMillis), maxMillis)
        let days = floorDivide(clamped, millisPerDay)
        var millisOfDay = Int(clamped - days * millisPerDay)
        let date = civilDate(fromDays: days)
        let millisecond = millisOfDay % 1000
        millisOfDay /= 1000
        let second = millisOfDay % 60
        millisOfDay /= 60
        let minute = millisOfDay % 60
        let hour = millisOfDay / 60

        appendDigits(date.year, count: 4, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(date.month, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "-"))
        appendDigits(date.day, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "T"))
        appendDigits(hour, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(minute, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: ":"))
        appendDigits(second, count: 2, to: &buffer)
        buffer.append(UInt8(ascii: "."))
        appendDigits(millisecond, count: 3, to: &buffer)
        buffer.append(UInt8(ascii: "Z"))
    }

    /// Parses an RFC 3339 timestamp with a UTC offset.
    /// - Parameter text: A timestamp such as `2026-11-25T15:30:00.123+05:30`.
    /// - Returns: Milliseconds since the epoch, with extra fractional digits truncated.
    /// - Throws: ``ParseError`` saying what is wrong, for example that the offset is missing.
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        var text = text
        return try text.withUTF8 { utf8 in
            Result { () throws(ParseError) in
                var parser = RFC3339Parser(input: utf8)
                return try parser.parse()
            }
        }.get()
    }

    /// ``parse(_:)`` for UTF-8 bytes, such as the content of a string in JSON text, without making a `String`.
    public static func parse(utf8: UnsafeRawBufferPointer) throws(ParseError) -> Int64 {
        var parser = RFC3339Parser(input: UnsafeBufferPointer(start: utf8.baseAddress?.assumingMemoryBound(to: UInt8.self), count: utf8.count))
        return try parser.parse()
    }

    /// Why a string is not an RFC 3339 timestamp.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// A short human reason, such as `missing UTC offset`.
        public let reason: String

        /// Creates an error.
        /// - Parameter reason: A short human reason.
        public init(reason: String) {
            self.reason = reason
        }

        public var description: String { reason }
    }

    /// The number of days since 1970-01-01 of a proleptic Gregorian date.
    static func days(year: Int, month: Int, day: Int) -> Int64 {
        let shiftedYear = Int64(month <= 2 ? year - 1 : year)
        let era = floorDivide(shiftedYear, 400)
        let yearOfEra = shiftedYear - era * 400
        let dayOfYear = Int64((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1)
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The proleptic Gregorian date that lies `days` days after 1970-01-01.
    package static func civilDate(fromDays days: Int64) -> (year: Int, month: Int, day: Int) {
        let shifted = days + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let shiftedMonth = (5 * dayOfYear + 2) / 153
        let day = Int(dayOfYear - (153 * shiftedMonth + 2) / 5 + 1)
        let month = Int(shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9)
        let year = Int(yearOfEra + era * 400) + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    /// The number of days in a month of the proleptic Gregorian calendar.
    static func daysInMonth(year: Int, month: Int) -> Int {
        switch month {
        case 2:
            let isLeap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
            return isLeap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> Int64 {
        let quotient = value / divisor
        return value % divisor < 0 ? quotient - 1 : quotient
    }

    private static func appendDigits(_ value: Int, count: Int, to buffer: inout [UInt8]) {
        var divisor = 1
        for _ in 1..<count {
            divisor *= 10
        }
        while divisor > 0 {
            buffer.append(UInt8(ascii: "0") + UInt8(value / divisor % 10))
            divisor /= 10
        }
    }
}
