//! The trending section: site and computed topics, and choosing one.

use crate::model::TrendingEntry;
use crate::reader::msg::Effect;
use crate::reader::state::{Focus, State, Topic};

use super::list::{clamp_list, reload};
use super::search::end_search;

pub(super) fn clamp_topics(state: &mut State) {
    let rows = state.geometry().trending_rows().max(1);
    state.topics.selected = state.topics.selected.min(state.topics.items.len().saturating_sub(1));
    if state.topics.selected < state.topics.offset {
        state.topics.offset = state.topics.selected;
    }
    if state.topics.selected >= state.topics.offset + rows {
        state.topics.offset = state.topics.selected + 1 - rows;
    }
}

/// The site's «В тренде» topics: one row per topic, newest capture first
/// (entries come sorted); computed topics stay after the site's.
pub(super) fn site_topics(state: &mut State, entries: Vec<TrendingEntry>) -> Vec<Effect> {
    let mut topics: Vec<Topic> = Vec::new();
    for e in entries {
        let topic = crate::text::sanitize(&e.topic);
        if !topic.trim().is_empty() && !topics.iter().any(|t| t.topic == topic) {
            topics.push(Topic { topic, headline: crate::text::sanitize(&e.headline), computed: None });
        }
    }
    topics.extend(state.topics.items.drain(..).filter(|t| t.computed.is_some()));
    state.topics.items = topics;
    // The section may appear and take lines from the list.
    clamp_list(state);
    clamp_topics(state);
    if state.focus == Focus::Trending && state.topics.items.is_empty() {
        state.focus = Focus::List;
    }
    vec![]
}

/// Topics computed from the archive replace the previous computed ones.
pub(super) fn computed_topics(state: &mut State, list: Vec<crate::search::trending::Topic>) -> Vec<Effect> {
    state.topics.items.retain(|t| t.computed.is_none());
    for t in list {
        let topic = crate::text::sanitize(&t.topic);
        if !topic.trim().is_empty() {
            state.topics.items.push(Topic {
                topic,
                headline: crate::text::sanitize(&t.headline),
                computed: Some((t.query, t.articles)),
            });
        }
    }
    clamp_list(state);
    clamp_topics(state);
    vec![]
}

/// Enter on a topic: the list shows its articles.
pub(super) fn open_topic(state: &mut State) -> Vec<Effect> {
    let Some(t) = state.topics.items.get(state.topics.selected).cloned() else { return vec![] };
    if state.filter.topic.is_none() && state.search.is_none() {
        let l = &state.list;
        state.pending.back_to = l.selected_row().map(|r| (r.id, l.selected.saturating_sub(l.offset)));
    }
    let mut fx = end_search(state);
    state.filter.topic = Some(t.topic.clone());
    state.filter.topic_query = t.computed.map(|c| c.0);
    state.focus = Focus::List;
    fx.extend(reload(state));
    fx
}
