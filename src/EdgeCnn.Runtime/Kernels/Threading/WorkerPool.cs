namespace EdgeCnn.Runtime.Kernels.Threading;

/// <summary>Work split into independent items 0..count-1 (output tiles). A kernel implements it on itself: no closure.</summary>
public interface IParallelWork
{
    void Execute(int item);
}

/// <summary>
/// A fixed set of worker threads created at Plan and kept for the session's life. <see cref="For"/> hands out items through
/// one interlocked counter; the calling thread works too and returns when every item is done. Nothing allocates per call:
/// the work is an interface reference the kernel already is, and the threads block on semaphores created here (SemaphoreSlim
/// creates its lock object eagerly; ManualResetEventSlim would allocate one the first time a wait really blocks). One caller
/// at a time (a session is used by one thread).
/// </summary>
public sealed class WorkerPool : IDisposable
{
    private readonly Thread[] _threads;
    private readonly SemaphoreSlim[] _start; // one per worker: released once per For that needs it
    private readonly SemaphoreSlim _done = new(0, 1); // released by the last worker to finish
    private readonly long[] _allocatedBytes; // per worker: managed bytes its thread has allocated, as of its last item
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
        _start = new SemaphoreSlim[threads - 1];
        _allocatedBytes = new long[threads - 1];
        for (int i = 0; i < _threads.Length; i++)
        {
            _start[i] = new SemaphoreSlim(0, 1);
            _threads[i] = new Thread(Worker) { IsBackground = true, Name = $"edgecnn-worker-{i + 1}" };
            _threads[i].Start(i);
        }
    }

    public int Threads { get; }

    /// <summary>
    /// Managed bytes the worker threads have allocated since they started (as of their last completed For): lets a test prove
    /// that Run allocates on no thread, which GC.GetAllocatedBytesForCurrentThread alone cannot see.
    /// </summary>
    public long WorkerAllocatedBytes
    {
        get
        {
            long sum = 0;
            for (int i = 0; i < _allocatedBytes.Length; i++)
            {
                sum += Volatile.Read(ref _allocatedBytes[i]);
            }

            return sum;
        }
    }

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
        for (int i = 0; i < helpers; i++)
        {
            _start[i].Release(); // takes a lock (a full fence): the fields above are visible to the woken worker
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
        foreach (SemaphoreSlim e in _start)
        {
            e.Release();
        }

        foreach (Thread t in _threads)
        {
            t.Join();
        }

        foreach (SemaphoreSlim e in _start)
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
        int id = (int)state!;
        SemaphoreSlim start = _start[id];
        while (true)
        {
            start.Wait();
            if (_stopping)
            {
                return;
            }

            Drain(_work!, _count);
            Volatile.Write(ref _allocatedBytes[id], GC.GetAllocatedBytesForCurrentThread());
            if (Interlocked.Decrement(ref _pending) == 0)
            {
                _done.Release();
            }
        }
    }
}
