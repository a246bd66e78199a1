// The studio's frame: drop/paste/pick photos anywhere, keyboard shortcuts from the command registry.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { commandForKey } from '../state/commands.ts';
import { useStudio } from '../state/studioStore.ts';
import { startStudio } from '../state/startStudio.ts';
import { Messages } from './Messages.tsx';
import { ModelPanel } from './ModelPanel.tsx';
import { PhotoStrip } from './PhotoStrip.tsx';
import { SuperpixelPanel } from './SuperpixelPanel.tsx';
import { Toolbar } from './Toolbar.tsx';
import { Viewer } from './Viewer.tsx';
import { UiCommandContext, type UiContext } from './CommandButton.tsx';
import { SegmentationPanel } from './SegmentationPanel.tsx';
import { AblationPanel } from './AblationPanel.tsx';
import { SamplingPanel } from './SamplingPanel.tsx';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { MetricsPanel } from './MetricsPanel.tsx';
import { DepthPanel } from './DepthPanel.tsx';
import { LabelSpacePanel } from './LabelSpacePanel.tsx';
import { isKeyTakingField, shortcutsAllowed } from './shortcutTarget.ts';
import { isProjectFile } from '../state/projectFileSlice.ts';
import { droppedFiles, folderFiles } from './droppedFiles.ts';
import { HelpOverlay } from './HelpOverlay.tsx';
import { FilePicker } from './FilePicker.tsx';
import { TaskBar } from './TaskBar.tsx';

export function App() {
  const fileInput = useRef<HTMLInputElement>(null);
  const groundTruthInput = useRef<HTMLInputElement>(null);
  const projectInput = useRef<HTMLInputElement>(null);
  const folderInput = useRef<HTMLInputElement>(null);
  const measuredDepthInput = useRef<HTMLInputElement>(null);
  const [dragging, setDragging] = useState(false);
  const [helpOpen, setHelpOpen] = useState(false);
  const closeHelp = useCallback(() => setHelpOpen(false), []);
  const addFiles = useStudio((s) => s.addFiles);

  const context = useMemo<UiContext>(
    () => ({
      openFilePicker: () => fileInput.current?.click(),
      openGroundTruthPicker: () => groundTruthInput.current?.click(),
      openProjectPicker: () => projectInput.current?.click(),
      openFolderPicker: () => folderInput.current?.click(),
      openMeasuredDepthPicker: () => measuredDepthInput.current?.click(),
      fitView: () => useStudio.getState().setView(1, { x: 0, y: 0 }),
      toggleHelp: () => setHelpOpen((open) => !open),
    }),
    [],
  );

  useEffect(() => {
    void startStudio();
  }, []);

  const onKey = useCallback(
    (e: KeyboardEvent) => {
      // Keys handled already (a rename field's Enter/Escape) or mid-composition (IME) are not shortcuts.
      if (e.defaultPrevented || e.isComposing) return;
      // A focused field, slider, dropdown or checkbox keeps its keys; Escape lets go of it (and still stops training).
      if (!shortcutsAllowed(e.target, e.key)) return;
      if (e.key === 'Escape' && isKeyTakingField(e.target)) (e.target as HTMLElement).blur();
      const state = useStudio.getState();
      const cmd = commandForKey(e);
      if (!cmd || !cmd.enabled(state)) return;
      e.preventDefault();
      // Holding a key repeats only what is safe to repeat (zoom, undo, brush size); not close, toggles, export.
      if (e.repeat && !cmd.repeats) return;
      cmd.run({ ...context, state });
    },
    [context],
  );

  useEffect(() => {
    const onPaste = (e: ClipboardEvent) => {
      const files = [...(e.clipboardData?.files ?? [])];
      if (files.length) void addFiles(files);
    };
    window.addEventListener('keydown', onKey);
    window.addEventListener('paste', onPaste);
    return () => {
      window.removeEventListener('keydown', onKey);
      window.removeEventListener('paste', onPaste);
    };
  }, [onKey, addFiles]);

  return (
    <UiCommandContext.Provider value={context}>
    <div
      className={`app${dragging ? ' dragging' : ''}`}
      data-testid="app"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={(e) => {
        if (e.currentTarget === e.target) setDragging(false);
      }}
      onDrop={(e) => {
        e.preventDefault();
        setDragging(false);
        // A dropped project file opens as the project; anything else (folders walked) is added as photos.
        const project = [...e.dataTransfer.files].find(isProjectFile);
        if (project) void useStudio.getState().importProject(project);
        else void droppedFiles(e.dataTransfer).then(addFiles);
      }}
    >
      <Toolbar />
      <FilePicker ref={fileInput} testId="file-input" accept="image/*" multiple onPick={(files) => void addFiles(files)} />
      <FilePicker ref={folderInput} testId="folder-input" multiple folder onPick={(files) => void addFiles(folderFiles(files))} />
      <FilePicker
        ref={groundTruthInput}
        testId="gt-file-input"
        accept="image/png,.json,application/json"
        onPick={([file]) => {
          const photoId = useStudio.getState().activePhotoId;
          if (photoId) void useStudio.getState().attachGroundTruth(photoId, file);
        }}
      />
      <FilePicker
        ref={measuredDepthInput}
        testId="measured-depth-input"
        accept="image/png"
        onPick={([file]) => {
          const photoId = useStudio.getState().activePhotoId;
          if (photoId) void useStudio.getState().attachMeasuredDepth(photoId, file);
        }}
      />
      <FilePicker ref={projectInput} testId="project-file-input" accept=".zip,application/zip" onPick={([file]) => void useStudio.getState().importProject(file)} />
      <main className="workspace">
        <PhotoStrip />
        <ErrorBoundary name="viewer">
          <Viewer />
        </ErrorBoundary>
        <aside className="side">
          <ErrorBoundary name="model panel">
            <ModelPanel />
          </ErrorBoundary>
          <ErrorBoundary name="segmentation panel">
            <SegmentationPanel />
          </ErrorBoundary>
          <ErrorBoundary name="metrics panel">
            <MetricsPanel />
          </ErrorBoundary>
          <ErrorBoundary name="depth panel">
            <DepthPanel />
          </ErrorBoundary>
          <ErrorBoundary name="label space panel">
            <LabelSpacePanel />
          </ErrorBoundary>
          <ErrorBoundary name="suggestions panel">
            <SamplingPanel />
          </ErrorBoundary>
          <ErrorBoundary name="ablation panel">
            <AblationPanel />
          </ErrorBoundary>
          <ErrorBoundary name="superpixel panel">
            <SuperpixelPanel />
          </ErrorBoundary>
        </aside>
      </main>
      <TaskBar />
      <Messages />
      {helpOpen && <HelpOverlay onClose={closeHelp} />}
    </div>
    </UiCommandContext.Provider>
  );
}
