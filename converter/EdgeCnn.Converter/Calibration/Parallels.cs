using System.Runtime.ExceptionServices;

namespace EdgeCnn.Converter.Calibration;

/// <summary>Parallel.For over workers that rethrows a worker's own exception (not an AggregateException around it).</summary>
internal static class Parallels
{
    public static void Run(int workers, Action<int> body)
    {
        try
        {
            Parallel.For(0, workers, new ParallelOptions { MaxDegreeOfParallelism = workers }, body);
        }
        catch (AggregateException e) when (e.InnerExceptions.Count > 0)
        {
            ExceptionDispatchInfo.Capture(e.InnerExceptions[0]).Throw();
            throw;
        }
    }
}
