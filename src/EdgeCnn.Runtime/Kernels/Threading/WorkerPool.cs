namespace EdgeCnn.Runtime.Kernels.Threading;

/// <summary>Work split into independent items 0..count-1 (output tiles). A kernel implements it on itself: no closure.</summary>
public interface IParallelWork
{
    void Execute(int item);
}

/// <summary>
/// A fixed set of worker threads created at Plan and kept for the session's life. <see cref="For"/> hands out items through
/// one interlocked counter; the calling thread works too and returns when every item is done. Nothing allocates per call:
/// the work is an interface reference the kernel already is, and the threads block on events created here. One caller at a
/// time (a session is used by one thread).
/// </summary>
public sealed class WorkerPool : IDisposable
{
    // Spin briefly before blocking: consecutive layers follow each other within microseconds, so a worker that spins a
    // little catches the next layer without a kernel wait/wake round trip.
    private const int SpinCount = 2000;

    private readonly Thread[] _threads;
    private readonly ManualResetEventSlim[] _start;
    private readonly ManualResetEventSlim _done = new(false, SpinCount);
    private IParallelWork? _work;
    private int _count;
    private int _next;
    private int _pending;
    private volatile bool _stopping;

    /// <param name="threads">Threads in all, the caller's included (so threads - 1 workers start).</param>
    public WorkerPool(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _threads = new Thread[threads - 1];
        _start = new ManualResetEventSlim[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _start[i] = new ManualResetEventSlim(false, SpinCount);
            _threads[i] = new Thread(Worker) { IsBackground = true, Name = $"edgecnn-worker-{i + 1}" };
            _threads[i].Start(i);
        }
    }

    public int Threads { get; }

    /// <summary>Runs work.Execute(i) for every i in [0, count), spread over the pool's threads and the caller's.</summary>
    public void For(IParallelWork work, int count)
    {
        ArgumentNullException.ThrowIfNull(work);
        int helpers = Math.Min(_threads.Length, count - 1);
        if (helpers <= 0)
        {
            for (int i = 0; i < count; i++)
            {
                work.Execute(i);
            }

            return;
        }

        _work = work;
        _count = count;
        _next = 0;
        _pending = helpers;
        _done.Reset();
        for (int i = 0; i < helpers; i++)
        {
            _start[i].Set(); // a full fence: the fields above are visible to the woken worker
        }

        Drain(work, count);
        _done.Wait();
        _work = null;
    }

    public void Dispose()
    {
        if (_stopping)
        {
            return;
        }

        _stopping = true;
        foreach (ManualResetEventSlim e in _start)
        {
            e.Set();
        }

        foreach (Thread t in _threads)
        {
            t.Join();
        }

        foreach (ManualResetEventSlim e in _start)
        {
            e.Dispose();
        }

        _done.Dispose();
    }

    private void Drain(IParallelWork work, int count)
    {
        int i;
        while ((i = Interlocked.Increment(ref _next) - 1) < count)
        {
            work.Execute(i);
        }
    }

    private void Worker(object? state)
    {
        ManualResetEventSlim start = _start[(int)state!];
        while (true)
        {
            start.Wait();
            start.Reset(); // safe: the caller sets it again only after this worker has reported done
            if (_stopping)
            {
                return;
            }

            Drain(_work!, _count);
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Set();
            }
        }
    }
}
