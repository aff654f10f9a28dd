/// A cursor over the UTF-8 bytes of one RFC 3339 timestamp, used by ``RFC3339/parse(_:)``.
struct RFC3339Parser {
    let input: UnsafeBufferPointer<UInt8>
    var offset = 0

    init(input: UnsafeBufferPointer<UInt8>) {
        self.input = input
    }

    mutating func parse() throws(RFC3339.ParseError) -> Int64 {
        let year = try number(digits: 4, "expected a four-digit year")
        try expect(UInt8(ascii: "-"), "expected '-' after the year")
        let month = try number(digits: 2, "expected a two-digit month")
        try expect(UInt8(ascii: "-"), "expected '-' after the month")
        let day = try number(digits: 2, "expected a two-digit day")
        guard (1...12).contains(month) else { throw failure("month out of range") }
        guard year >= 1 else { throw failure("year out of range") }
        guard (1...RFC3339.daysInMonth(year: year, month: month)).contains(day) else {
            throw failure("day out of range for the month")
        }

        guard offset < input.count, input[offset] | 0x20 == UInt8(ascii: "t") else {
            throw failure("expected 'T' between date and time")
        }
        offset += 1
        let hour = try number(digits: 2, "expected a two-digit hour")
        try expect(UInt8(ascii: ":"), "expected ':' after the hour")
        let minute = try number(digits: 2, "expected two-digit minutes")
        try expect(UInt8(ascii: ":"), "expected ':' after the minutes")
        let second = try number(digits: 2, "expected two-digit seconds")
        guard hour <= 23 else { throw failure("hour out of range") }
        guard minute <= 59 else { throw failure("minute out of range") }
        guard second <= 59 else { throw failure("second out of range") }

        var millisecond = 0
        if offset < input.count, input[offset] == UInt8(ascii: ".") {
            offset += 1
            let fractionStart = offset
            while offset < input.count, let digit = digit(at: offset) {
                if offset - fractionStart < 3 {
                    millisecond = millisecond * 10 + digit
                }
                offset += 1
            }
            guard offset > fractionStart else { throw failure("expected digits after '.'") }
            for _ in min(offset - fractionStart, 3)..<3 {
                millisecond *= 10
            }
        }

        let offsetMinutes = try utcOffsetMinutes()
        guard offset == input.count else { throw failure("unexpected characters after the UTC offset") }

        let days = RFC3339.days(year: year, month: month, day: day)
        let localMillis = days * RFC3339.millisPerDay
            + Int64(((hour * 60 + minute) * 60 + second) * 1000 + millisecond)
        let millis = localMillis - Int64(offsetMinutes) * 60_000
        guard (RFC3339.minMillis...RFC3339.maxMillis).contains(millis) else {
            throw failure("timestamp out of range")
        }
        return millis
    }

    /// Parses `Z`, `z` or `±HH:MM` at the cursor.
    private mutating func utcOffsetMinutes() throws(RFC3339.ParseError) -> Int {
        guard offset < input.count else { throw failure("missing UTC offset ('Z' or ±HH:MM)") }
        let sign: Int
        switch input[offset] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            offset += 1
            return 0
        case UInt8(ascii: "+"): sign = 1
        case UInt8(ascii: "-"): sign = -1
        default: throw failure("missing UTC offset ('Z' or ±HH:MM)")
        }
        offset += 1
        let hours = try number(digits: 2, "invalid UTC offset, expected ±HH:MM")
        try expect(UInt8(ascii: ":"), "invalid UTC offset, expected ±HH:MM")
        let minutes = try number(digits: 2, "invalid UTC offset, expected ±HH:MM")
        guard hours <= 23, minutes <= 59 else { throw failure("UTC offset out of range") }
        return sign * (hours * 60 + minutes)
    }

    private mutating func number(digits: Int, _ reason: String) throws(RFC3339.ParseError) -> Int {
        var value = 0
        for _ in 0..<digits {
            guard offset < input.count, let digit = digit(at: offset) else { throw failure(reason) }
            value = value * 10 + digit
            offset += 1
        }
        return value
    }

    private mutating func expect(_ byte: UInt8, _ reason: String) throws(RFC3339.ParseError) {
        guard offset < input.count, input[offset] == byte else { throw failure(reason) }
        offset += 1
    }

    private func digit(at index: Int) -> Int? {
        let value = input[index] &- UInt8(ascii: "0")
        return value < 10 ? Int(value) : nil
    }

    private func failure(_ reason: String) -> RFC3339.ParseError {
        RFC3339.ParseError(reason: reason)
    }
}
