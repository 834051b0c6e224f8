//! The tone model compiled into the core is what the training command makes from the labelled
//! data: anyone can rebuild it, and nobody edits it by hand.

use frontdesk_bench::tone_training::{model_dir, train};
use frontdesk_core::Language;

#[test]
fn the_compiled_models_are_what_the_data_makes() {
    for language in Language::ALL {
        let path = model_dir().join(format!("{}.txt", language.code()));
        let stored = std::fs::read_to_string(&path).unwrap();
        assert!(
            stored == train(language).render(),
            "{}: not what `cargo run -p frontdesk-bench --bin train-tone` makes from the data",
            path.display()
        );
    }
}
