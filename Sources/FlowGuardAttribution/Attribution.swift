/// The credit one order gets: the model that applied and the event it credits.
package struct Attribution: Sendable, Equatable {
    /// The attribution models, as the output names them.
    package enum Model: String, Sendable, CaseIterable {
        /// The user's last click within the click window.
        case lastClick = "last_click"
        /// No click: the user's last impression within the view window.
        case viewThrough = "view_through"
        /// Neither.
        case none
    }

    package var model: Model
    /// The credited click or impression; nil for ``Model/none``.
    package var touch: AdTouch?

    package init(model: Model, touch: AdTouch?) {
        self.model = model
        self.touch = touch
    }

    /// No credit.
    package static let unattributed = Attribution(model: .none, touch: nil)

    /// Milliseconds from the credited event to the order, or nil when nothing was credited.
    package func timeToConvertMillis(of order: AttributableOrder) -> Int64? {
        touch.map { order.timestampMillis - $0.timestampMillis }
    }
}
