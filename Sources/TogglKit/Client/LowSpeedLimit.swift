/// A transfer slower than `bytesPerSecond` for `duration` is cut off (a trickling server).
public struct LowSpeedLimit: Sendable, Hashable {
    public var bytesPerSecond: Int
    public var duration: Duration

    public init(bytesPerSecond: Int, duration: Duration) {
        self.bytesPerSecond = bytesPerSecond
        self.duration = duration
    }
}
