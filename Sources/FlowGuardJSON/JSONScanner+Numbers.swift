extension JSONScanner {
    /// Parses a number starting at the cursor (`-` or a digit) and leaves the cursor after it.
    package mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = offset
        let isNegative = input[offset] == UInt8(ascii: "-")
        if isNegative {
            offset += 1
        }
        var magnitude: UInt64 = 0
        var overflowed = false
        let first = try peekByte()
        if first == UInt8(ascii: "0") {
            offset += 1
            if offset < input.count, Self.isDigit(input[offset]) {
                throw JSONParseError(byteOffset: offset - 1, message: "leading zeros are not allowed")
            }
        } else if Self.isDigit(first) {
            while offset < input.count, Self.isDigit(input[offset]) {
                let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
                let (sum, overflow2) = times10.addingReportingOverflow(UInt64(input[offset] - UInt8(ascii: "0")))
                magnitude = sum
                overflowed = overflowed || overflow1 || overflow2
                offset += 1
            }
        } else {
            throw error("expected a digit after '-'")
        }

        var isInteger = true
        if offset < input.count, input[offset] == UInt8(ascii: ".") {
            isInteger = false
            offset += 1
            try skipDigits(context: "expected a digit after the decimal point")
        }
        if offset < input.count, input[offset] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            offset += 1
            if offset < input.count, input[offset] == UInt8(ascii: "+") || input[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            try skipDigits(context: "expected a digit in the exponent")
        }

        let lexeme = String(decoding: UnsafeRawBufferPointer(rebasing: input[start..<offset]), as: UTF8.self)
        var int64: Int64?
        if isInteger, !overflowed {
            if isNegative {
                int64 = magnitude <= Int64.min.magnitude ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil
            } else {
                int64 = magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
            }
        }
        return JSONNumber(validatedLexeme: lexeme, isInteger: isInteger, int64: int64)
    }

    /// Steps over one or more digits.
    private mutating func skipDigits(context: String) throws(JSONParseError) {
        guard Self.isDigit(try peekByte()) else { throw error(context) }
        repeat {
            offset += 1
        } while offset < input.count && Self.isDigit(input[offset])
    }

    package static func isDigit(_ byte: UInt8) -> Bool {
        byte &- UInt8(ascii: "0") < 10
    }
}
