using System;
using System.Linq;
using Xunit;

namespace SpecializedConv.IntegrationTests;

/// <summary>
/// Runs after every other test class and alone: while other tests flood the thread pool, its queues grow segments
/// when a parallel Forward queues its parts, and that is the runtime's allocation, not the layer's.
/// </summary>
[CollectionDefinition(nameof(AllocationTests), DisableParallelization = true)]
public sealed class AllocationTestsRunAlone;

/// <summary>Generated layers allocate nothing per call once warm, on the calling thread or spread over two.</summary>
[Collection(nameof(AllocationTests))]
public class AllocationTests
{
    [Fact]
    public void Forward_allocates_nothing_once_warm_alone_or_on_two_threads()
    {
        var layers = GeneratedLayers.All.Select(c => (c.Name, Layer: (IParallelConvLayer)c.Create(new float[c.WeightLength], new float[c.SecondWeightLength], new float[c.BiasLength]))).ToList();
        var buffers = layers.Select(l => (Input: new float[2 * l.Layer.InputLength], Output: new float[2 * l.Layer.OutputLength])).ToList();
        void RunAll(int calls, int threads)
        {
            for (int i = 0; i < layers.Count; i++)
            {
                for (int call = 0; call < calls; call++)
                {
                    Forward(i, threads);
                }
            }
        }

        // threads 0: the plain IConvLayer.Forward; else the overload that may spread the call.
        void Forward(int i, int threads)
        {
            if (threads == 0)
            {
                layers[i].Layer.Forward(buffers[i].Input, buffers[i].Output);
            }
            else
            {
                layers[i].Layer.Forward(buffers[i].Input, buffers[i].Output, threads);
            }
        }

        // Past tiering: the runtime recompiles the small tier-0 wrappers after 30 calls and 100 ms of quiet, in the
        // background; measuring in the middle of that would count the runtime's work, not the layers'.
        foreach (int threads in new[] { 0, 2 })
        {
            RunAll(40, threads);
            System.Threading.Thread.Sleep(300);
            RunAll(40, threads);
            System.Threading.Thread.Sleep(300);
        }

        foreach (int threads in new[] { 0, 2 })
        {
            for (int i = 0; i < layers.Count; i++)
            {
                // Spread calls queue work items, and the thread pool may then start a worker thread from the queueing
                // thread, allocating its Thread object there (seen once in a clean-clone CI run: 136 bytes in 20 calls
                // of one layer). That is the pool's own growth, not a cost per call: a layer that allocated per call
                // would allocate in every window of 20, so one window in three must allocate nothing.
                long allocated = 0;
                for (int window = 0; window < (threads == 0 ? 1 : 3); window++)
                {
                    long before = GC.GetAllocatedBytesForCurrentThread();
                    for (int call = 0; call < 20; call++)
                    {
                        Forward(i, threads);
                    }

                    allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                    if (allocated == 0)
                    {
                        break;
                    }
                }

                Assert.True(allocated == 0, $"{layers[i].Name} allocated {allocated} bytes in 20 calls ({(threads == 0 ? "Forward" : $"Forward on {threads} threads, in each of three windows")})");
            }
        }
    }
}
