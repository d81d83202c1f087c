using System;
using System.ComponentModel;
using System.Runtime.ExceptionServices;
using System.Threading;

namespace SpecializedConv.Runtime;

/// <summary>
/// A layer that can compute part of a batch: rows <c>[rowBegin, rowEnd)</c> of output channel blocks
/// <c>[blockBegin, blockEnd)</c> of one image. Every part computes its pixels exactly as the whole call does, so a
/// batch split over threads is bitwise identical to the single-threaded one. Implemented by generated layers.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public interface IRowKernel
{
    /// <summary>Output rows of the layer.</summary>
    int Rows { get; }

    /// <summary>Blocks of output channels the kernel can compute separately (1 when it cannot split them).</summary>
    int Blocks { get; }

    /// <summary>
    /// Whether parts should split output blocks rather than rows: true when the weights outweigh the input, so that each
    /// thread streams only its own blocks' weights instead of every thread streaming all of them.
    /// </summary>
    bool PreferBlocks { get; }

    /// <summary>Computes one part; <paramref name="input"/> and <paramref name="output"/> are the whole image.</summary>
    /// <param name="input">The image's input.</param>
    /// <param name="output">The image's output.</param>
    /// <param name="rowBegin">First output row.</param>
    /// <param name="rowEnd">One past the last output row.</param>
    /// <param name="blockBegin">First block of output channels.</param>
    /// <param name="blockEnd">One past the last block.</param>
    void Run(ReadOnlySpan<float> input, Span<float> output, int rowBegin, int rowEnd, int blockBegin, int blockEnd);
}

/// <summary>
/// Spreads one batch over several cores: the calling thread and up to <c>threads - 1</c> thread-pool workers take
/// parts (a band of an image's rows, with all its output channels or one block of them) until none is left; the call
/// returns when the parts are done and the helpers that started have finished, not waiting for those the pool has not
/// started. Nothing is allocated per call: each calling thread keeps one reusable work item. Called by generated layers;
/// not meant to be called directly.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static unsafe class ParallelForward
{
    /// <summary>Spins of the calling thread before it blocks waiting for its helpers.</summary>
    private const int SpinsBeforeBlocking = 35;

    [ThreadStatic]
    private static Job? t_job;

    /// <summary>Runs <paramref name="images"/> checked images of <paramref name="kernel"/> on up to <paramref name="threads"/> threads.</summary>
    /// <param name="kernel">The layer.</param>
    /// <param name="input">The batch's input.</param>
    /// <param name="output">The batch's output.</param>
    /// <param name="images">Images in the batch.</param>
    /// <param name="imageInputLength">Floats per input image.</param>
    /// <param name="imageOutputLength">Floats per output image.</param>
    /// <param name="threads">The most threads to use, the calling one included.</param>
    public static void Run(IRowKernel kernel, ReadOnlySpan<float> input, Span<float> output, int images, int imageInputLength, int imageOutputLength, int threads)
    {
        ArgumentNullException.ThrowIfNull(kernel);
        int workers = Math.Max(1, Math.Min(threads, Environment.ProcessorCount));

        // Parts: output channel blocks when the layer prefers them (heavy weights) or has too few rows to share, each in
        // two bands of rows, so that a narrower last block or an odd count still shares out evenly (measured on 2 threads:
        // ResNet-18 conv5's 11 blocks 1.70x alone, 1.97x in two bands), as long as that is at least as even as rows
        // alone; else bands of rows. With heavy weights every band streams all of them, so as few bands as threads.
        int rows = kernel.Rows, blocks = kernel.Blocks;
        int blockBands = Math.Min(rows, 2);
        bool byBlocks = blocks >= workers && (kernel.PreferBlocks || (rows < 4 * workers && blocks > rows))
            && Evenness(blocks * blockBands, workers) >= Evenness(rows, workers);
        int bands = byBlocks ? blockBands : Math.Min(rows, (kernel.PreferBlocks ? 1 : 4) * workers);
        int partsPerImage = byBlocks ? blocks * bands : bands;
        int parts = images * partsPerImage;
        if (workers == 1 || parts == 1)
        {
            for (int image = 0; image < images; image++)
            {
                kernel.Run(input.Slice(image * imageInputLength, imageInputLength), output.Slice(image * imageOutputLength, imageOutputLength), 0, rows, 0, blocks);
            }

            return;
        }

        fixed (float* x = input, y = output)
        {
            Job job = t_job ??= new Job();
            int helpers = Math.Min(workers, parts) - 1;
            job.Start(kernel, x, y, imageInputLength, imageOutputLength, rows, blocks, byBlocks ? blocks : 1, bands, parts, helpers);
            try
            {
                job.QueueHelpers(helpers);
                job.Work();
            }
            finally
            {
                // Whatever happened above, no helper may still write through these pointers once the buffers are
                // unpinned: the call returns only after every helper that started has finished.
                job.WaitForWorkers();
            }

            job.ThrowIfFailed();
        }
    }

    /// <summary>The share of the threads' time spent working when <paramref name="units"/> equal units are dealt out whole.</summary>
    private static double Evenness(int units, int workers) => units / (double)(workers * ((units + workers - 1) / workers));

    /// <summary>One batch being computed: parts are taken by index until none is left.</summary>
    private sealed class Job : IThreadPoolWorkItem
    {
        // The last helper to finish pulses this gate. Not a ManualResetEventSlim: its first wait that blocks creates its
        // lock object (24 bytes under the JIT, 128 under NativeAOT), in whichever call that happens to be.
        private readonly object _gate = new();
        private IRowKernel? _kernel;
        private float* _input, _output;
        private int _inputLength, _outputLength, _rows, _blocks, _blockParts, _bands, _parts;
        private int _next, _activeWorkers, _unclaimed, _queued;
        private Exception? _failure;

        public Job()
        {
            // Under NativeAOT a monitor's first wait sets up its condition; a wait of no time does it here, at the job's
            // creation, rather than in the first call whose wait blocks. Not interrupted either (a pending interrupt
            // would throw here, in the caller's first parallel call).
            Uninterruptibly(this, static job =>
            {
                lock (job._gate)
                {
                    Monitor.Wait(job._gate, 0);
                }
            });
        }

        public void Start(IRowKernel kernel, float* input, float* output, int inputLength, int outputLength, int rows, int blocks, int blockParts, int bands, int parts, int helpers)
        {
            _kernel = kernel;
            _input = input;
            _output = output;
            _inputLength = inputLength;
            _outputLength = outputLength;
            _rows = rows;
            _blocks = blocks;
            _blockParts = blockParts;
            _bands = bands;
            _parts = parts;
            _next = -1;
            _failure = null;
            // Every helper counted before any is queued, so that none finishes "last" early; the claims published last,
            // so that a helper holding one sees this call's fields.
            Volatile.Write(ref _activeWorkers, helpers);
            Interlocked.Exchange(ref _unclaimed, helpers);
        }

        /// <summary>
        /// Queues this job on the thread pool for the call's helpers, less those still queued from earlier calls that a
        /// busy pool has not reached: each of those claims a place in whichever call is running when it starts (this
        /// one, a later one, or none left). So the pool's queue holds no more of this thread's items than the most
        /// helpers any of its calls asked for, however many calls a busy pool falls behind (queueing one per call grew
        /// the queue, and the pool allocates a larger segment of its queue on whichever thread queues into a full one).
        /// </summary>
        public void QueueHelpers(int helpers)
        {
            // Start has published this call's places, so an item counted here has yet to look for one (Execute leaves
            // the count before it claims). Counted once queued: a queueing that throws leaves the count right.
            for (int queued = Volatile.Read(ref _queued); queued < helpers; queued++)
            {
                ThreadPool.UnsafeQueueUserWorkItem(this, preferLocal: false);
                Interlocked.Increment(ref _queued);
            }
        }

        /// <summary>A helper's turn: it works only if it claims one of the call's helper places.</summary>
        /// <remarks>
        /// A queued helper may run late: after its caller has finished every part and stopped waiting for helpers that
        /// had not started (a busy thread pool), even during the thread's next call, whose fields it then works on as
        /// one of that call's helpers. Claims count each place once, so every call waits exactly for those that took one.
        /// </remarks>
        public void Execute()
        {
            Interlocked.Decrement(ref _queued);
            if (Interlocked.Decrement(ref _unclaimed) < 0)
            {
                return;
            }

            try
            {
                Work();
            }
            finally
            {
                if (Interlocked.Decrement(ref _activeWorkers) == 0)
                {
                    // A pool thread may carry a pending interrupt (one re-raised on it as a caller, say): entering the
                    // gate must not throw it, or the caller would wait for this pulse for ever.
                    Uninterruptibly(this, static job =>
                    {
                        lock (job._gate)
                        {
                            Monitor.PulseAll(job._gate);
                        }
                    });
                }
            }
        }

        /// <summary>Takes parts until none is left; the calling thread and the workers all run this.</summary>
        public void Work()
        {
            try
            {
                for (int part = Interlocked.Increment(ref _next); part < _parts; part = Interlocked.Increment(ref _next))
                {
                    // A part is one band of rows of one block (or of all blocks): block-major, so that a thread taking
                    // consecutive parts keeps a block's weights in its L2. Band i is rows [i * rows / bands, (i + 1) * rows / bands).
                    int image = part / (_blockParts * _bands), index = part % (_blockParts * _bands);
                    int blockPart = index / _bands, band = index % _bands;
                    var input = new ReadOnlySpan<float>(_input + ((long)image * _inputLength), _inputLength);
                    var output = new Span<float>(_output + ((long)image * _outputLength), _outputLength);
                    int rowBegin = (int)((long)band * _rows / _bands), rowEnd = (int)((long)(band + 1) * _rows / _bands);
                    if (_blockParts == 1)
                    {
                        _kernel!.Run(input, output, rowBegin, rowEnd, 0, _blocks);
                    }
                    else
                    {
                        _kernel!.Run(input, output, rowBegin, rowEnd, blockPart, blockPart + 1);
                    }
                }
            }
            catch (Exception e)
            {
                Interlocked.CompareExchange(ref _failure, e, null);
                _next = _parts; // the others stop taking parts
            }
        }

        /// <summary>
        /// Waits for the helpers that started; those still queued lose their places, so that a caller that has taken every
        /// part itself does not wait for a busy thread pool to reach them. Not interrupted: the helpers write to the
        /// caller's pinned buffers until they finish; a <see cref="ThreadInterruptedException"/> is raised again after.
        /// </summary>
        public void WaitForWorkers()
        {
            int unstarted = Interlocked.Exchange(ref _unclaimed, 0);
            if (unstarted > 0)
            {
                Interlocked.Add(ref _activeWorkers, -unstarted);
            }

            Uninterruptibly(this, static job => job.AwaitHelpers());
            _kernel = null;
        }

        /// <summary>Returns once no helper is left working (interruptible: see <see cref="WaitForWorkers"/>).</summary>
        private void AwaitHelpers()
        {
            if (Volatile.Read(ref _activeWorkers) == 0)
            {
                return;
            }

            // Spin first, as long as ManualResetEventSlim does on a multi-core machine: the helpers' parts usually end
            // within a part's time of the caller's, and waking from a blocked wait takes longer than a small layer runs.
            var spinner = default(SpinWait);
            for (int spin = 0; spin < SpinsBeforeBlocking && Volatile.Read(ref _activeWorkers) > 0; spin++)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }

            lock (_gate)
            {
                // The last helper decrements, then pulses under the gate: a count read here as above zero is still
                // waited for, since that pulse cannot come between this read and the wait.
                while (Volatile.Read(ref _activeWorkers) > 0)
                {
                    Monitor.Wait(_gate);
                }
            }
        }

        /// <summary>
        /// Runs <paramref name="action"/> to its end even if the thread is interrupted while it blocks, then raises the
        /// interrupt again for the thread's next blocking call.
        /// </summary>
        private static void Uninterruptibly(Job job, Action<Job> action)
        {
            bool interrupted = false;
            while (true)
            {
                try
                {
                    action(job);
                    break;
                }
                catch (ThreadInterruptedException)
                {
                    interrupted = true;
                }
            }

            if (interrupted)
            {
                Thread.CurrentThread.Interrupt();
            }
        }

        /// <summary>Throws the first failure of a part, if any, as itself: as the call on one thread would.</summary>
        public void ThrowIfFailed()
        {
            if (_failure is { } failure)
            {
                _failure = null;
                ExceptionDispatchInfo.Capture(failure).Throw();
            }
        }
    }
}
