//! What the spec's formulas read of a trial: its evaluations, column by
//! column. Defined here, below ingest, because the rule language evaluates
//! over it (`spec::lang::eval`); ingest fills it (its reading helpers are in
//! `crate::ingest::csv`).

/// A trial's evaluations, one value per row, in file order.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Series {
    pub time: Vec<f64>,
    pub summary_time: Vec<f64>,
    pub step: Vec<f64>,
    pub metric: Vec<f64>,
    /// One series per extra (`column('NAME')`) column, in its order.
    pub extra: Vec<Vec<f64>>,
}
