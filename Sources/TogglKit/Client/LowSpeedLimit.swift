/// A transfer slower than `bytesPerSecond` for `duration` is cut off (a trickling server).
public struct LowSpeedLimit: Sendable, Hashable {
    /// Below this rate (1 byte to 1 GiB per second) …
    public var bytesPerSecond: Int
    /// … for this long (1 s to a day) the transfer ends with `.timeout`.
    public var duration: Duration

    /// Checked when the configuration is applied (`TogglClient.init`, `reconfigure`).
    public init(bytesPerSecond: Int, duration: Duration) {
        self.bytesPerSecond = bytesPerSecond
        self.duration = duration
    }
}
