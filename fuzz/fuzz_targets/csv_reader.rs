//! Reading one eval_measurements.csv: any bytes must give a series or a
//! problem with a line inside the file, never panic.
#![no_main]

use algoperf_engine::ingest::csv::read_series;
use algoperf_engine::spec::Columns;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let columns = Columns {
        time: "score".into(),
        summary_time: "accumulated_submission_time".into(),
        step: "global_step".into(),
        metric_prefix: "validation/".into(),
    };
    match read_series(data, &columns, "validation/loss", &[]) {
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
