using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using SpecializedConv.Runtime;
using SpecializedConv.Tests.Oracles;
using Xunit;

namespace SpecializedConv.Tests;

/// <summary>
/// How a call spread over threads hands its parts out and waits for its helpers, with kernels whose parts say which
/// thread ran them and when they end: the layers' results on several threads are checked by the integration tests.
/// </summary>
public class ParallelForwardTests
{
    [Fact]
    public void A_spread_call_whose_caller_waits_for_its_helper_allocates_nothing()
    {
        // Each thread that spreads calls keeps one job, whose wait for its helpers must not set anything up on the first
        // wait that blocks (a ManualResetEventSlim did: 24 bytes, in whichever call first found its helper still busy).
        // Twice, on two new threads: the first one also has the JIT compile the blocking path. (One processor: no
        // helper, and the kernel's parts would wait for each other.)
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        long allocated = 0;
        for (int run = 0; run < 2; run++)
        {
            RunOnNewThread(() =>
            {
                var kernel = new TwoPartKernel();
                float[] input = new float[1], output = new float[1];
                kernel.Prepare(callerSleep: 50, helperSleep: 0); // the thread's job is created here, its wait never blocks
                ParallelForward.Run(kernel, input, output, 1, 1, 1, threads: 2);
                kernel.Prepare(callerSleep: 0, helperSleep: 50); // the first wait that blocks
                long before = GC.GetAllocatedBytesForCurrentThread();
                ParallelForward.Run(kernel, input, output, 1, 1, 1, threads: 2);
                allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                Assert.Equal(2, kernel.PartsEnded);
            });
        }

        Assert.True(allocated == 0, $"the call allocated {allocated} bytes");
    }

    [Fact]
    public void A_caller_interrupted_while_it_waits_returns_after_its_helper_and_keeps_the_interrupt()
    {
        // The helper writes to the caller's pinned buffers until it ends: the wait may not be cut short (it was, by a
        // ManualResetEventSlim's), and the interrupt is the caller's, raised at its next blocking call.
        if (Environment.ProcessorCount < 2)
        {
            return;
        }

        int partsWhenReturned = -1;
        bool interruptKept = false;
        Thread? caller = null;
        var kernel = new TwoPartKernel();
        var interrupter = new Thread(() =>
        {
            kernel.CallerPartEnded.Wait();
            Thread.Sleep(20);
            caller!.Interrupt();
        });
        RunOnNewThread(() =>
        {
            caller = Thread.CurrentThread;
            kernel.Prepare(callerSleep: 0, helperSleep: 300);
            interrupter.Start();
            ParallelForward.Run(kernel, new float[1], new float[1], 1, 1, 1, threads: 2);
            partsWhenReturned = kernel.PartsEnded;
            interruptKept = InterruptPending();
        });
        interrupter.Join();

        Assert.Equal(2, partsWhenReturned);
        Assert.True(interruptKept, "the interrupt was lost");
    }

    [Fact]
    public void A_thread_with_an_interrupt_pending_spreads_its_first_call_and_keeps_the_interrupt()
    {
        // A thread's first parallel call sets up its job, which waits on its gate for no time: with an interrupt pending,
        // that wait threw it out of the call. The interrupt is the caller's, for its next blocking call.
        int parts = -1;
        bool interruptKept = false;
        var kernel = new CountingKernel(rows: 8);
        RunOnNewThread(() =>
        {
            Thread.CurrentThread.Interrupt();
            ParallelForward.Run(kernel, new float[1], new float[1], 1, 1, 1, threads: 2);
            parts = kernel.Parts;
            interruptKept = InterruptPending();
        });

        Assert.Equal(8, parts);
        Assert.True(interruptKept, "the interrupt was lost");
    }

    [Fact]
    public void A_failing_part_throws_as_it_does_on_one_thread()
    {
        var kernel = new FailingKernel();
        foreach (int threads in new[] { 1, 2, 4 })
        {
            var e = Assert.Throws<InvalidOperationException>(() => ParallelForward.Run(kernel, new float[1], new float[1], 1, 1, 1, threads));
            Assert.Equal("row 3", e.Message);
        }
    }

    [Fact]
    public void A_caller_whose_helper_cannot_start_takes_every_part_and_returns()
    {
        // In a child process whose thread pool is capped and busy: the helper stays queued, and the call must not wait
        // for it (it did, until the pool freed a thread: with the pool capped, for ever).
        var (exitCode, output) = ChildProcess.RunAssembly(typeof(ParallelForwardTests).Assembly.Location, BusyThreadPool.Argument,
            new Dictionary<string, string>(), TimeSpan.FromMinutes(2));
        Assert.True(exitCode == 0, output);
        Assert.Contains("busy-pool: passed", output, StringComparison.Ordinal);
    }

    /// <summary>Whether an interrupt is pending on this thread: its next blocking call throws it (and so clears it).</summary>
    private static bool InterruptPending()
    {
        try
        {
            Thread.Sleep(1);
            return false;
        }
        catch (ThreadInterruptedException)
        {
            return true;
        }
    }

    private static void RunOnNewThread(Action action)
    {
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                action();
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();
        if (failure is not null)
        {
            throw new InvalidOperationException("the thread failed", failure);
        }
    }

    /// <summary>Counts the parts run, blocking nowhere (a pending interrupt would be thrown by any blocking call).</summary>
    private sealed class CountingKernel(int rows) : IRowKernel
    {
        private int _parts;

        public int Rows => rows;

        public int Blocks => 1;

        public bool PreferBlocks => false;

        public int Parts => Volatile.Read(ref _parts);

        public void Run(ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd) =>
            Interlocked.Add(ref _parts, rowEnd - rowBegin);
    }

    /// <summary>Eight rows, the fourth of which fails.</summary>
    private sealed class FailingKernel : IRowKernel
    {
        public int Rows => 8;

        public int Blocks => 1;

        public bool PreferBlocks => false;

        public void Run(ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd)
        {
            if (rowBegin <= 3 && 3 < rowEnd)
            {
                throw new InvalidOperationException("row 3");
            }
        }
    }

    /// <summary>
    /// Two parts (one output row each) that start together, so that the calling thread runs one and a helper the
    /// other; then each side sleeps as told.
    /// </summary>
    private sealed class TwoPartKernel : IRowKernel
    {
        private int _started, _partsEnded, _callerThread, _callerSleep, _helperSleep;

        public int Rows => 2;

        public int Blocks => 1;

        public bool PreferBlocks => false;

        public int PartsEnded => Volatile.Read(ref _partsEnded);

        /// <summary>Set when the calling thread's part ends.</summary>
        public ManualResetEventSlim CallerPartEnded { get; } = new(false);

        /// <summary>Readies the kernel for a call from this thread.</summary>
        public void Prepare(int callerSleep, int helperSleep)
        {
            (_callerThread, _callerSleep, _helperSleep) = (Environment.CurrentManagedThreadId, callerSleep, helperSleep);
            _started = 0;
            _partsEnded = 0;
        }

        public void Run(ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd)
        {
            Interlocked.Increment(ref _started);
            while (Volatile.Read(ref _started) < 2)
            {
                Thread.SpinWait(20);
            }

            bool onCaller = Environment.CurrentManagedThreadId == _callerThread;
            Thread.Sleep(onCaller ? _callerSleep : _helperSleep);
            Interlocked.Increment(ref _partsEnded);
            if (onCaller)
            {
                CallerPartEnded.Set();
            }
        }
    }
}

/// <summary>
/// The child process of <see cref="ParallelForwardTests.A_caller_whose_helper_cannot_start_takes_every_part_and_returns"/>:
/// every thread-pool worker blocked and none to be added, then calls spread over two threads.
/// </summary>
public static class BusyThreadPool
{
    /// <summary>The argument that runs it.</summary>
    public const string Argument = "busy-pool";

    public static int Run(TextWriter output)
    {
        ThreadPool.GetMinThreads(out int workers, out int completionPorts);
        ThreadPool.GetMaxThreads(out _, out int maxCompletionPorts);
        if (!ThreadPool.SetMaxThreads(workers, maxCompletionPorts))
        {
            output.WriteLine($"busy-pool: could not cap the thread pool at {workers} workers");
            return 1;
        }

        using var release = new ManualResetEventSlim(false);
        using var blocked = new CountdownEvent(workers);
        for (int i = 0; i < workers; i++)
        {
            ThreadPool.UnsafeQueueUserWorkItem(_ =>
            {
                blocked.Signal();
                release.Wait();
            }, null);
        }

        if (!blocked.Wait(TimeSpan.FromSeconds(30)))
        {
            release.Set();
            output.WriteLine("busy-pool: the pool's workers did not all start");
            return 1;
        }

        // Many calls: the helper queued by the first is never reached, and serves the later calls' places too, so no
        // call queues another (one item per call used to pile up in the pool's queue, which allocates as it grows).
        const int Calls = 100;
        var kernel = new PartLog(rows: 8);
        var caller = new Thread(() =>
        {
            for (int call = 0; call < Calls; call++)
            {
                ParallelForward.Run(kernel, new float[1], new float[1], 1, 1, 1, threads: 2);
            }
        });
        caller.Start();
        bool returned = caller.Join(TimeSpan.FromSeconds(10));
        long queued = ThreadPool.PendingWorkItemCount;
        release.Set();
        if (!returned)
        {
            caller.Join();
            output.WriteLine("busy-pool: the call waited for a helper the pool could not start");
            return 1;
        }

        if (kernel.Parts != 8 * Calls || kernel.Threads != 1)
        {
            output.WriteLine($"busy-pool: {kernel.Parts} parts of {8 * Calls} ran, on {kernel.Threads} threads (expected 1)");
            return 1;
        }

        if (queued != 1)
        {
            output.WriteLine($"busy-pool: {queued} work items queued after {Calls} calls from one thread (expected 1)");
            return 1;
        }

        output.WriteLine("busy-pool: passed");
        return 0;
    }

    /// <summary>Parts of one row each, counted with the threads that ran them.</summary>
    private sealed class PartLog(int rows) : IRowKernel
    {
        private readonly HashSet<int> _threads = [];
        private int _parts;

        public int Rows => rows;

        public int Blocks => 1;

        public bool PreferBlocks => false;

        public int Parts => _parts;

        public int Threads => _threads.Count;

        public void Run(ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd)
        {
            lock (_threads)
            {
                _parts++;
                _threads.Add(Environment.CurrentManagedThreadId);
            }
        }
    }
}
