import FlowGuardJSON
import FlowGuardKafka

extension AttributedOrder {
    /// What an output record says about its order's credit, read back (the console's attribution page).
    package struct Credit: Sendable, Equatable {
        /// The credited click or impression.
        package struct Ad: Sendable, Equatable {
            package var id: String
            package var type: String
            /// The credited event's `event_type`.
            package var eventType: String
            package var timeToConvertMillis: Int64

            package init(id: String, type: String, eventType: String, timeToConvertMillis: Int64) {
                self.id = id
                self.type = type
                self.eventType = eventType
                self.timeToConvertMillis = timeToConvertMillis
            }
        }

        package var model: Attribution.Model
        /// The order's `price`, as written.
        package var price: JSONNumber
        /// Nil for ``Attribution/Model/none``.
        package var ad: Ad?
        /// Where the order was read: the same order credited twice has the same source.
        package var sourcePartition: Int32
        package var sourceOffset: Int64

        package init(model: Attribution.Model, price: JSONNumber, ad: Ad?, sourcePartition: Int32, sourceOffset: Int64) {
            self.model = model
            self.price = price
            self.ad = ad
            self.sourcePartition = sourcePartition
            self.sourceOffset = sourceOffset
        }
    }

    /// The credit an output record states.
    /// - Throws: ``AttributionInputError`` naming the field that is missing or malformed, or a credit
    ///   that contradicts its model (an ad for `none`, none for `last_click`).
    package static func credit(of record: KafkaRecord) throws(AttributionInputError) -> Credit {
        let object = try InputDecoding.object(of: record)
        let modelName = try InputDecoding.string(Field.attributionModel, in: object)
        guard let model = Attribution.Model(rawValue: modelName) else {
            throw AttributionInputError("field '\(Field.attributionModel)' is '\(modelName)', not one of \(Attribution.Model.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard case .number(let price)? = object[Field.price] else { throw AttributionInputError("field '\(Field.price)' is missing or not a number") }
        let partition = try InputDecoding.integer(Field.sourcePartition, in: object)
        guard let sourcePartition = Int32(exactly: partition), sourcePartition >= 0 else {
            throw AttributionInputError("field '\(Field.sourcePartition)' is not a partition number")
        }
        var ad: Credit.Ad?
        if model == .none {
            guard object[Field.creditedAdID] == nil || object[Field.creditedAdID] == .null else {
                throw AttributionInputError("field '\(Field.creditedAdID)' names an ad for \(Field.attributionModel) none")
            }
        } else {
            ad = Credit.Ad(
                id: try InputDecoding.string(Field.creditedAdID, in: object),
                type: try InputDecoding.string(Field.creditedAdType, in: object),
                eventType: try InputDecoding.string(Field.creditedEventType, in: object),
                timeToConvertMillis: try InputDecoding.integer(Field.timeToConvertMillis, in: object)
            )
        }
        return Credit(
            model: model, price: price, ad: ad, sourcePartition: sourcePartition,
            sourceOffset: try InputDecoding.integer(Field.sourceOffset, in: object)
        )
    }
}
