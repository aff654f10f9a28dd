/// How far back an order looks for the ad that led to it, and how long it may wait for late clicks.
package struct AttributionWindows: Sendable, Equatable {
    /// `--click-window`: a click credits an order placed at most this long after it.
    package var click: Duration
    /// `--view-window`: with no click in its window, an impression credits an order placed at most this long after it.
    package var view: Duration
    /// `--allowed-lateness`: the longest an order is held for the clicks of its partitions to pass its time.
    package var allowedLateness: Duration
    /// `--out-of-order`: how far behind the latest time read from a click partition a later record of
    /// that partition may still be; a partition's watermark is its latest time minus this.
    package var outOfOrderness: Duration

    /// Creates windows; every argument has the job's default.
    package init(
        click: Duration = .seconds(24 * 3600), view: Duration = .seconds(3600), allowedLateness: Duration = .seconds(30),
        outOfOrderness: Duration = .milliseconds(250)
    ) {
        self.click = click
        self.view = view
        self.allowedLateness = allowedLateness
        self.outOfOrderness = outOfOrderness
    }
}
