// A failing panel shows what went wrong and a way to retry instead of blanking the whole studio; the
// project is autosaved, so nothing is lost either way.
import { Component, type ReactNode } from 'react';

export class ErrorBoundary extends Component<{ name: string; children: ReactNode }, { error?: Error }> {
  override state: { error?: Error } = {};

  static getDerivedStateFromError(error: Error) {
    return { error };
  }

  override render() {
    const { error } = this.state;
    if (!error) return this.props.children;
    return (
      <div className="panel error" role="alert" data-testid="panel-error">
        <p>
          The {this.props.name} stopped: {error.message}
        </p>
        <button onClick={() => this.setState({ error: undefined })}>Try again</button>
      </div>
    );
  }
}
