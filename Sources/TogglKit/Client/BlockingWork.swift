#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs blocking libcurl calls for async callers on a bounded pool of threads, so that awaiting
/// one never parks a thread of Swift's cooperative pool (there are only as many as cores), and a
/// thousand concurrent calls do not start a thousand threads: beyond `maxThreads` they queue.
enum BlockingWork {
    /// Threads the pool runs at most. Calls beyond it wait for a free thread; a stalled server
    /// holds a thread only until the call's own deadline.
    static let maxThreads = 32

    /// Runs `work` on the pool. When the awaiting `Task` is cancelled, `control` is cancelled
    /// (ending a transfer under way), and work still queued is withdrawn without running.
    static func run<T: Sendable>(_ control: CallControl,
                                 _ work: @escaping @Sendable () -> Result<T, TogglError>) async -> Result<T, TogglError> {
        let job = Job()
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Result<T, TogglError>, Never>) in
                job.prepare(
                    run: {
                        control.dequeued()
                        continuation.resume(returning: work())
                    },
                    withdraw: { continuation.resume(returning: .failure(CallControl.cancelledError())) })
                if !WorkerPool.shared.enqueue(job) {
                    continuation.resume(returning: .failure(TogglError(.internal, "could not start a worker thread")))
                    return
                }
                // client.cancel() reaches a call still waiting for a thread: it leaves the queue.
                // Weakly: the job's closures hold the control, so a strong capture would be a cycle.
                control.whileQueued { [weak job] in if let job { WorkerPool.shared.withdraw(job) } }
            }
        } onCancel: {
            control.cancel()
            WorkerPool.shared.withdraw(job)
        }
    }

    /// A unit of work: run by a worker, or withdrawn while queued; exactly one of the two.
    final class Job: @unchecked Sendable {
        // Written once by `prepare` before the job is queued; the pool's lock orders that
        // write before any read by a worker or by `withdraw`.
        private(set) var run: () -> Void = {}
        private(set) var withdraw: () -> Void = {}

        func prepare(run: @escaping () -> Void, withdraw: @escaping () -> Void) {
            self.run = run
            self.withdraw = withdraw
        }
    }
}

/// Worker threads started on demand up to `BlockingWork.maxThreads`; one idle for a few seconds
/// exits, so a library that is no longer used holds no threads.
final class WorkerPool: @unchecked Sendable {
    static let shared = WorkerPool(maxThreads: BlockingWork.maxThreads)

    private let maxThreads: Int
    private static let idleSeconds = 5
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let workAvailable = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)
    // Guarded by `mutex`.
    private var queue: [BlockingWork.Job] = []
    private var queueHead = 0
    private var threads = 0
    private var idleThreads = 0

    init(maxThreads: Int) {
        self.maxThreads = maxThreads
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(workAvailable, nil)
    }

    /// Counts for tests: threads running, jobs waiting.
    var load: (threads: Int, queued: Int) {
        locked { (threads, queue.count - queueHead) }
    }

    /// False when no thread could be started and none is running to take the job.
    func enqueue(_ job: BlockingWork.Job) -> Bool {
        locked {
            queue.append(job)
            // A signalled thread counts as idle until it wakes, so compare jobs with idle threads.
            if queue.count - queueHead > idleThreads, threads < maxThreads, startThread() { threads += 1 }
            if threads == 0 {
                queue.removeLast()
                return false
            }
            pthread_cond_signal(workAvailable)
            return true
        }
    }

    /// Takes `job` out of the queue and calls its `withdraw`, if no worker has taken it yet.
    func withdraw(_ job: BlockingWork.Job) {
        let found: Bool = locked {
            guard let index = queue[queueHead...].firstIndex(where: { $0 === job }) else { return false }
            queue.remove(at: index)
            return true
        }
        if found { job.withdraw() }
    }

    private func locked<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return body()
    }

    private func startThread() -> Bool {
        let context = Unmanaged.passRetained(self).toOpaque()
        var thread = pthread_t()
        let created = pthread_create(&thread, nil, { context in
            guard let context else { return nil }
            Unmanaged<WorkerPool>.fromOpaque(context).takeRetainedValue().work()
            return nil
        }, context)
        guard created == 0 else {
            Unmanaged<WorkerPool>.fromOpaque(context).release()
            return false
        }
        pthread_detach(thread)
        return true
    }

    private func work() {
        while let job = nextJob() { job.run() }
    }

    /// The next job, or nil when this thread has been idle long enough to exit.
    private func nextJob() -> BlockingWork.Job? {
        locked {
            while queueHead == queue.count {
                idleThreads += 1
                var deadline = timespec()
                clock_gettime(CLOCK_REALTIME, &deadline)
                deadline.tv_sec += Self.idleSeconds
                let waited = pthread_cond_timedwait(workAvailable, mutex, &deadline)
                idleThreads -= 1
                if waited == ETIMEDOUT, queueHead == queue.count {
                    threads -= 1
                    return nil
                }
            }
            let job = queue[queueHead]
            queueHead += 1
            // Drop the consumed prefix now and then instead of shifting the array on every take.
            if queueHead == queue.count || queueHead >= 64 {
                queue.removeFirst(queueHead)
                queueHead = 0
            }
            return job
        }
    }
}
