import CTogglSupport
import TogglKit

/// Every exported call ends here: it records the outcome in the thread-local error and
/// returns the status code, so `toggl_error_*` always describe the thread's latest call.
enum LastError {
    @discardableResult
    static func succeed(_ status: Int32 = 0) -> Int32 {
        tgl_last_error_clear()
        return status
    }

    @discardableResult
    static func fail(_ error: TogglError) -> Int32 {
        var message = Array(error.message.utf8)
        message.removeAll { $0 == 0 }
        message.withUnsafeBufferPointer { buffer in
            buffer.withMemoryRebound(to: CChar.self) {
                tgl_last_error_set(error.code.rawValue, Int32(clamping: error.httpStatus ?? 0),
                                   error.retryAfterSeconds ?? -1, $0.baseAddress, $0.count)
            }
        }
        return error.code.rawValue
    }

    /// Runs `body` and turns its outcome into a status code.
    static func status(_ body: () throws(TogglError) -> Int32) -> Int32 {
        do {
            return succeed(try body())
        } catch {
            return fail(error)
        }
    }
}
