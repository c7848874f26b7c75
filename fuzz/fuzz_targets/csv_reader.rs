//! Reading one eval_measurements.csv: any bytes must give a series or a
//! problem with a line inside the file, never panic.
#![no_main]

use algoperf_engine::ingest::csv::{read_series, Wanted};
use libfuzzer_sys::fuzz_target;

const WANTED: Wanted = Wanted {
    extra: &[],
    time: "score",
    summary_time: "accumulated_submission_time",
    step: "global_step",
    metric: "validation/loss",
};

fuzz_target!(|data: &[u8]| {
    match read_series(data, &WANTED) {
        Ok(series) => {
            let n = series.len();
            assert!(series.time.len() == n && series.summary_time.len() == n);
            assert!(series.step.len() == n);
        }
        Err((line, _problem)) => {
            if let Some(line) = line {
                let lines = 1 + data.iter().filter(|&&b| b == b'\n' || b == b'\r').count();
                assert!(
                    line >= 1 && line as usize <= lines,
                    "line {line} of {lines}"
                );
            }
        }
    }
});
