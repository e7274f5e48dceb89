// Parallel loop for the pyannote diarizer: ONNX Runtime sessions allow concurrent Run(), so
// windows (segmentation) and window speakers (embeddings) spread over threads.
#pragma once

#include <cstddef>
#include <functional>

#include "vox/core/error.h"
#include "vox/core/progress.h"

namespace vox::diar {

// Calls fn(i) for every i in [0, count) on up to `threads` threads (the caller's included).
// Stops handing out work at the first error or once `cancel` fires, and returns that error
// (kCancelled for cancellation). on_done(completed) runs serialised after each item, for progress.
Status parallel_for(std::size_t count, int threads, const CancelToken& cancel,
                    const std::function<Status(std::size_t)>& fn,
                    const std::function<void(std::size_t)>& on_done = {});

}  // namespace vox::diar
